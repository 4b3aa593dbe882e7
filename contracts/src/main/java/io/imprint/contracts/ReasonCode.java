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
    /**
     * Retired: never emitted. An HSM that cannot sign is a technical failure, waited out and retried, never a
     * rejection; the code stays so that events of earlier versions still decode.
     */
    SIGNING_FAILED("retired: the HSM could not sign the certificate"),
    /** The station certificate was revoked by an operator. */
    STATION_REVOKED("the station certificate has been revoked"),
    /** {@code submittedAt} lies outside the allowed clock-skew window around the time of intake. */
    SUBMISSION_TIME_SKEW("the submission time is outside the allowed window"),
    /** The {@code requestId} was used before: request ids are unique forever. */
    REQUEST_REPLAYED("the request id has been used before"),
    /** The station's or factory's request rate is over its limit; the message names the limit. */
    RATE_LIMITED("the station or factory is over its request rate limit"),
    /** No production order has the submitted {@code orderId}. */
    ORDER_UNKNOWN("the production order does not exist"),
    /** The order is closed, or outside its validity window. */
    ORDER_NOT_OPEN("the production order is closed or outside its validity window"),
    /** The order belongs to another factory than the station's. */
    ORDER_FACTORY_MISMATCH("the production order belongs to another factory"),
    /** The device id does not match the order's device-id pattern or range. */
    DEVICE_ID_NOT_ALLOWED("the device id is outside the order's allowed device ids"),
    /** The submission's secure-element type is not one the order allows. */
    SECURE_ELEMENT_NOT_ALLOWED("the secure-element type is not allowed by the order"),
    /** The order has already yielded its quantity of accepted requests. */
    QUOTA_EXHAUSTED("the production order's quantity is used up"),
    /** The device already has a certificate and its order does not allow re-provisioning. */
    DEVICE_ALREADY_PROVISIONED("the device has already been provisioned"),
    /** The order requires secure-element attestation and the submission carries none. */
    ATTESTATION_REQUIRED("the order requires a secure-element attestation chain"),
    /** The attestation chain is malformed, too large, or does not chain to the vendor root of its type. */
    ATTESTATION_INVALID("the secure-element attestation chain is not valid"),
    /** The attested secure-element key is not the CSR's public key. */
    ATTESTATION_KEY_MISMATCH("the CSR key is not the attested secure-element key"),
    /** The order has a vendor manifest and the device's key is not in it. */
    DEVICE_NOT_IN_MANIFEST("the secure element is not in the order's vendor manifest"),
    /** The CSR requests an extension or attribute the policy refuses (for example CA:true). */
    CSR_EXTENSION_NOT_ALLOWED("the CSR requests an extension or attribute the policy refuses"),
    /** The order names an issuing CA this signer does not hold. */
    ISSUER_UNAVAILABLE("the issuing CA named by the order is not available to the signer"),
    /** The order names a certificate profile the signer is not configured with. */
    PROFILE_UNKNOWN("the certificate profile named by the order is not configured on the signer");

    private final String description;

    ReasonCode(String description) {
        this.description = description;
    }

    /** One sentence for people; the enum name is what machines match on. */
    public String description() {
        return description;
    }
}
