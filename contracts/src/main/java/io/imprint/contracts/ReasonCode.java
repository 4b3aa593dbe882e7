package io.imprint.contracts;

/**
 * Why a request was rejected. Names are stable API: gateways and dashboards match on them. Add new
 * codes at the end; a retired code is kept here, marked deprecated, and never reused for another meaning.
 */
public enum ReasonCode {
    /** The submission's fields are present but unusable (for example a blank device id). */
    MALFORMED_SUBMISSION("the submission's fields are invalid"),
    /** No station certificate or signature header on the record. */
    STATION_CREDENTIAL_MISSING("the record carries no station certificate or signature header"),
    /** The station signature does not verify over the record value with the station certificate's key. */
    STATION_SIGNATURE_INVALID("the station signature does not match the record value"),
    /** The station certificate does not chain to the configured station CA. */
    STATION_CERTIFICATE_UNTRUSTED("the station certificate is not issued by the station CA"),
    /** The station certificate's validity window has ended. */
    STATION_CERTIFICATE_EXPIRED("the station certificate has expired"),
    /** The station certificate's validity window has not begun. */
    STATION_CERTIFICATE_NOT_YET_VALID("the station certificate is not valid yet"),
    /** The factory or station named in the submission is not the one the station certificate is bound to. */
    STATION_IDENTITY_MISMATCH("the submission names another factory or station than its credential"),
    /** The CSR is not a well-formed PKCS#10 request. */
    CSR_MALFORMED("the CSR cannot be parsed"),
    /** The CSR's signature does not verify with its own public key: no proof of possession. */
    CSR_SIGNATURE_INVALID("the CSR signature does not verify (no proof of possession)"),
    /** The CSR is signed with an algorithm outside the allowlist. */
    CSR_ALGORITHM_NOT_ALLOWED("the CSR signature algorithm is not allowed"),
    /** The CSR's public key type, curve or size is outside the key policy. */
    CSR_KEY_NOT_ALLOWED("the CSR public key is not allowed by the key policy"),
    /** The CSR's subject does not carry exactly the device id the submission names. */
    CSR_SUBJECT_MISMATCH("the CSR subject does not name the submitted device id"),
    /** The to-be-signed certificate failed the pre-issuance checks; nothing was signed. */
    LINT_FAILED("the certificate failed pre-issuance checks"),
    /** The HSM refused or failed to sign. */
    SIGNING_FAILED("the HSM could not sign the certificate");

    private final String description;

    ReasonCode(String description) {
        this.description = description;
    }

    /** One sentence for people; the enum name is what machines match on. */
    public String description() {
        return description;
    }
}
