package io.imprint.contracts;

/**
 * Why a consumer refused a record it read and set it aside, unprocessed, on its dead-letter topic (header
 * {@link Headers#DLQ_CODE}): nothing in it became a certificate, a CRL or a state change. Every refusal is
 * also counted in {@code imprint_quarantined_total{topic,reason}}. A closed list with stable names, like
 * {@link ReasonCode}: new codes are added at the end, retired ones never reused.
 */
public enum QuarantineReason {
    /** The record is not a valid event: not JSON, or a required field is missing or invalid. */
    MALFORMED_EVENT("the record is not a valid event"),
    /** A command to the CA (or a revocation) carries no service certificate or signature header. */
    COMMAND_UNSIGNED("the command carries no service certificate or signature header"),
    /** The command's certificate is not a valid certificate of the service CA (or has expired). */
    COMMAND_SIGNER_UNTRUSTED("the command is not signed with a valid certificate of the service CA"),
    /** The command is signed by a genuine service that is not the one allowed to send it on this topic. */
    COMMAND_SIGNER_NOT_AUTHORIZED("the command is signed by a service that may not send it"),
    /** The signature does not verify over the record's value bytes. */
    COMMAND_SIGNATURE_INVALID("the command signature does not match the record value"),
    /** A CRL is asked for an issuing CA the signer does not hold. */
    CRL_ISSUER_UNKNOWN("the CRL names an issuing CA the signer does not hold"),
    /** A CRL number is not above the last one the signer signed for that CA. */
    CRL_NUMBER_NOT_INCREASING("the CRL number is not above the last CRL the signer signed"),
    /** A full CRL would drop a serial that the previous CRL of that CA listed: a revocation is never undone. */
    CRL_DROPS_REVOKED_SERIAL("the CRL would drop a revoked serial of the previous CRL"),
    /** A delta CRL names a base CRL number above every full CRL the signer signed for its scope. */
    CRL_DELTA_BASE_UNKNOWN("the delta CRL's base is no full CRL the signer signed"),
    /** A CRL names a distribution point that no certificate profile of its CA writes. */
    CRL_SCOPE_UNKNOWN("the CRL names a distribution point the CA does not issue under"),
    /** The certificate of a {@code cert.issued} does not verify under any trusted issuing CA. */
    CERTIFICATE_UNTRUSTED("the certificate is not issued by a trusted issuing CA"),
    /** The certificate does not name the event's device id, serial or issuer. */
    CERTIFICATE_MISMATCH("the certificate does not match the event's device id, serial or issuer"),
    /** A published CRL is not signed by an issuing CA this service answers for. */
    CRL_UNTRUSTED("the CRL is not signed by an issuing CA this service serves"),
    /** An operator's request carries no operator certificate or signature header. */
    REQUEST_UNSIGNED("the request carries no operator certificate or signature header"),
    /**
     * The request's certificate is not a valid operator certificate (not from the operator CA, expired, or not an
     * operator subject), or its signature does not verify over the record value.
     */
    REQUEST_SIGNER_UNTRUSTED("the request is not signed with a valid operator certificate"),
    /** A genuine operator signed it, but the request names another operator or they lack the role it needs. */
    REQUEST_SIGNER_NOT_AUTHORIZED("the request is signed by an operator who may not make it");

    private final String description;

    QuarantineReason(String description) {
        this.description = description;
    }

    /** One sentence for people; the enum name is what machines match on. */
    public String description() {
        return description;
    }
}
