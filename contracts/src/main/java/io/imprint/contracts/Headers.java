package io.imprint.contracts;

/**
 * Kafka record header names. Events use the CloudEvents 1.0 Kafka protocol binding in binary mode:
 * the value is the event JSON, the attributes are {@code ce_*} headers.
 */
public final class Headers {
    public static final String CE_SPECVERSION = "ce_specversion";
    public static final String CE_ID = "ce_id";
    public static final String CE_SOURCE = "ce_source";
    public static final String CE_TYPE = "ce_type";
    public static final String CE_TIME = "ce_time";
    public static final String CONTENT_TYPE = "content-type";

    public static final String SPEC_VERSION = "1.0";
    public static final String JSON = "application/json";

    /** Base64 (standard alphabet) DER of the station certificate that signed a submission. */
    public static final String STATION_CERT = "imprint-station-cert";
    /** Base64 (standard alphabet) DER ECDSA signature, SHA256withECDSA, over the exact record value bytes. */
    public static final String STATION_SIGNATURE = "imprint-station-signature";

    /**
     * Base64 (standard alphabet) DER of the service certificate (from the service CA) that signed a command:
     * {@code csr.accepted} (csr-intake), {@code crl.sign-requested} and {@code cert.revoked} (revocation).
     */
    public static final String SERVICE_CERT = "imprint-service-cert";
    /** Base64 (standard alphabet) DER ECDSA signature, SHA256withECDSA, over the exact record value bytes. */
    public static final String SERVICE_SIGNATURE = "imprint-service-signature";

    /**
     * Base64 (standard alphabet) DER of the operator certificate (from the operator CA) that signed a request a
     * person made away from the services' APIs: {@code revocation.requested}, {@code order.requested}.
     */
    public static final String OPERATOR_CERT = "imprint-operator-cert";
    /** Base64 (standard alphabet) DER ECDSA signature, SHA256withECDSA, over the exact record value bytes. */
    public static final String OPERATOR_SIGNATURE = "imprint-operator-signature";

    /** Set on dead-lettered records by the consumer: the reason, a short sentence without secrets. */
    public static final String DLQ_REASON = "dead-letter-reason";
    /** Set on dead-lettered records: the topic the record was read from. */
    public static final String DLQ_TOPIC = "dead-letter-topic";
    /** Set on records a consumer refused as untrusted or invalid: a {@link QuarantineReason} name. */
    public static final String DLQ_CODE = "dead-letter-code";

    private Headers() {}
}
