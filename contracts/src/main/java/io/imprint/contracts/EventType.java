package io.imprint.contracts;

import io.imprint.contracts.events.AuditCheckpointV1;
import io.imprint.contracts.events.CeremonySealedV1;
import io.imprint.contracts.events.CertIssuedV1;
import io.imprint.contracts.events.CertRevokedV1;
import io.imprint.contracts.events.CrlPublishedV1;
import io.imprint.contracts.events.CrlSignRequestedV1;
import io.imprint.contracts.events.CsrAcceptedV1;
import io.imprint.contracts.events.CsrChallengedV1;
import io.imprint.contracts.events.CsrRejectedV1;
import io.imprint.contracts.events.CsrSubmittedV1;
import io.imprint.contracts.events.DeviceAddedV1;
import io.imprint.contracts.events.DeviceStateV1;
import io.imprint.contracts.events.ImprintEvent;
import io.imprint.contracts.events.OrderChangedV1;
import io.imprint.contracts.events.OrderRequestedV1;
import io.imprint.contracts.events.RevocationRequestedV1;
import io.imprint.contracts.events.ShipmentRecordedV1;
import io.imprint.contracts.events.StationRevokedV1;
import java.util.Arrays;

/** Binds each event record to its topic and its CloudEvents {@code ce_type}. */
public enum EventType {
    CSR_SUBMITTED(Topics.CSR_SUBMITTED, "imprint.csr.submitted", CsrSubmittedV1.class),
    CSR_ACCEPTED(Topics.CSR_ACCEPTED, "imprint.csr.accepted", CsrAcceptedV1.class),
    CSR_REJECTED(Topics.CSR_REJECTED, "imprint.csr.rejected", CsrRejectedV1.class),
    /** Only ever on a factory's station-results topic ({@link Topics#stationResults}). */
    CSR_CHALLENGED(Topics.STATION_RESULTS_TEMPLATE, "imprint.csr.challenged", CsrChallengedV1.class),
    CERT_ISSUED(Topics.CERT_ISSUED, "imprint.cert.issued", CertIssuedV1.class),
    CERT_REVOKED(Topics.CERT_REVOKED, "imprint.cert.revoked", CertRevokedV1.class),
    DEVICE_ADDED(Topics.DEVICE_ADDED, "imprint.device.added", DeviceAddedV1.class),
    DEVICE_STATE(Topics.DEVICE_STATE, "imprint.device.state", DeviceStateV1.class),
    CRL_SIGN_REQUESTED(Topics.CRL_SIGN_REQUESTED, "imprint.crl.sign-requested", CrlSignRequestedV1.class),
    CRL_PUBLISHED(Topics.CRL_PUBLISHED, "imprint.crl.published", CrlPublishedV1.class),
    SHIPMENT_RECORDED(Topics.SHIPMENT_RECORDED, "imprint.shipment.recorded", ShipmentRecordedV1.class),
    ORDER_CHANGED(Topics.ORDER_CHANGED, "imprint.order.changed", OrderChangedV1.class),
    STATION_REVOKED(Topics.STATION_REVOKED, "imprint.station.revoked", StationRevokedV1.class),
    CEREMONY_SEALED(Topics.CEREMONY_SEALED, "imprint.ceremony.sealed", CeremonySealedV1.class),
    AUDIT_CHECKPOINT(Topics.AUDIT_CHECKPOINT, "imprint.audit.checkpoint", AuditCheckpointV1.class),
    REVOCATION_REQUESTED(Topics.REVOCATION_REQUESTED, "imprint.revocation.requested", RevocationRequestedV1.class),
    ORDER_REQUESTED(Topics.ORDER_REQUESTED, "imprint.order.requested", OrderRequestedV1.class);

    private final String topic;
    private final String ceType;
    private final Class<? extends ImprintEvent> recordType;

    EventType(String topic, String ceType, Class<? extends ImprintEvent> recordType) {
        this.topic = topic;
        this.ceType = ceType;
        this.recordType = recordType;
    }

    public String topic() {
        return topic;
    }

    /** The {@code ce_type} header value: the topic's event name without the version suffix. */
    public String ceType() {
        return ceType;
    }

    public Class<? extends ImprintEvent> recordType() {
        return recordType;
    }

    /** The type whose {@code ce_type} this is. */
    public static EventType ofCeType(String ceType) {
        return Arrays.stream(values())
                .filter(t -> t.ceType.equals(ceType))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no event type " + ceType));
    }

    public static EventType of(ImprintEvent event) {
        return of(event.getClass());
    }

    public static EventType of(Class<? extends ImprintEvent> recordType) {
        return Arrays.stream(values())
                .filter(t -> t.recordType == recordType)
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no event type for " + recordType.getName()));
    }
}
