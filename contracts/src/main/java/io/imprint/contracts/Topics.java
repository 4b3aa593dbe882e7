package io.imprint.contracts;

import java.util.List;

/**
 * Every Kafka topic Imprint owns. Versioned, dot-separated (never underscores: Kafka folds dots and
 * underscores together in metric names), one producer each. Topics are never auto-created; the
 * declared list for operators is {@code deploy/local/topics.conf}, which a test keeps equal to {@link #ALL}.
 */
public final class Topics {
    /** Factory station to csr-intake. Key: device id. */
    public static final String CSR_SUBMITTED = "imprint.csr.submitted.v1";
    /** csr-intake to signer. Key: device id. */
    public static final String CSR_ACCEPTED = "imprint.csr.accepted.v1";
    /** csr-intake or signer to stations and audit. Key: device id. */
    public static final String CSR_REJECTED = "imprint.csr.rejected.v1";
    /** signer to stations, audit, fleet-registry, revocation. Key: device id. */
    public static final String CERT_ISSUED = "imprint.cert.issued.v1";
    /** revocation to audit, fleet-registry, stations. Key: device id, or serial when the device is unknown. */
    public static final String CERT_REVOKED = "imprint.cert.revoked.v1";
    /** fleet-registry to the fleet platform. Key: device id. */
    public static final String DEVICE_ADDED = "imprint.device.added.v1";
    /** fleet-registry to the fleet platform: each device's whole state, compacted (the latest per device). Key: device id. */
    public static final String DEVICE_STATE = "imprint.device.state.v1";
    /** revocation to signer: CRL entries to build and sign, never bytes to sign. Key: issuer name. */
    public static final String CRL_SIGN_REQUESTED = "imprint.crl.sign-requested.v1";
    /** signer to revocation and audit: the signed CRL. Key: issuer name. */
    public static final String CRL_PUBLISHED = "imprint.crl.published.v1";
    /** Signed tree heads of the audit log, kept forever. */
    public static final String AUDIT_CHECKPOINT = "imprint.audit.checkpoint.v1";
    /** ERP or warehouse to audit. Key: order id. */
    public static final String SHIPMENT_RECORDED = "imprint.shipment.recorded.v1";
    /** csr-intake to audit: production orders created and closed, signed. Key: order id. */
    public static final String ORDER_CHANGED = "imprint.order.changed.v1";
    /** Station certificates revoked at csr-intake, signed by it; audit logs them. */
    public static final String STATION_REVOKED = "imprint.station.revoked.v1";
    /** CA ceremony transcripts whose seal audit checked and logged; audit publishes them. */
    public static final String CEREMONY_SEALED = "imprint.ceremony.sealed.v1";
    /**
     * Operators to revocation: revocations asked for away from its API (headquarters, for an offline factory),
     * each signed by the operator. Key: serial.
     */
    public static final String REVOCATION_REQUESTED = "imprint.revocation.requested.v1";
    /**
     * Operators to csr-intake: production orders opened or closed away from its API (headquarters, for an offline
     * factory), each signed by the operator. Key: order id.
     */
    public static final String ORDER_REQUESTED = "imprint.order.requested.v1";

    /**
     * Per factory, the answers its stations read ({@link #stationResults}): the {@code cert.issued} and
     * {@code csr.rejected} events of the requests that factory's stations submitted, so one contract
     * manufacturer never reads another's production. Written by csr-intake and the signer. Key: device id.
     */
    public static final String STATION_RESULTS_TEMPLATE = "imprint.station-results.{factory}.v1";

    /** The station-results topic of one factory. */
    public static String stationResults(String factoryId) {
        return STATION_RESULTS_TEMPLATE.replace("{factory}", factoryId);
    }

    public static final List<String> ALL = List.of(
            CSR_SUBMITTED,
            CSR_ACCEPTED,
            CSR_REJECTED,
            CERT_ISSUED,
            CERT_REVOKED,
            DEVICE_ADDED,
            DEVICE_STATE,
            CRL_SIGN_REQUESTED,
            CRL_PUBLISHED,
            SHIPMENT_RECORDED,
            ORDER_CHANGED,
            AUDIT_CHECKPOINT,
            STATION_REVOKED,
            CEREMONY_SEALED,
            REVOCATION_REQUESTED,
            ORDER_REQUESTED);

    /** Dead-letter topic of one consumer: records it could not parse or process, with the error in headers. */
    public static String deadLetter(String sourceTopic, String service) {
        return sourceTopic + "." + service + ".dlq";
    }

    /** Every dead-letter topic, one per (topic, consuming service) pair the services declare. */
    public static final List<String> DEAD_LETTER = List.of(
            deadLetter(CSR_SUBMITTED, "csr-intake"),
            deadLetter(CSR_ACCEPTED, "signer"),
            deadLetter(CRL_SIGN_REQUESTED, "signer"),
            deadLetter(CERT_ISSUED, "audit"),
            deadLetter(CSR_REJECTED, "audit"),
            deadLetter(CERT_REVOKED, "audit"),
            deadLetter(ORDER_CHANGED, "audit"),
            deadLetter(STATION_REVOKED, "audit"),
            deadLetter(SHIPMENT_RECORDED, "audit"),
            deadLetter(CERT_ISSUED, "fleet-registry"),
            deadLetter(CERT_REVOKED, "fleet-registry"),
            deadLetter(SHIPMENT_RECORDED, "fleet-registry"),
            deadLetter(CERT_ISSUED, "revocation"),
            deadLetter(CRL_PUBLISHED, "revocation"),
            deadLetter(REVOCATION_REQUESTED, "revocation"),
            deadLetter(ORDER_REQUESTED, "csr-intake"));

    private Topics() {}
}
