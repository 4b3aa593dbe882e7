package io.imprint.audit.service;

import io.imprint.audit.persistence.AuditRecordEntity;
import io.imprint.contracts.EventCodec;
import io.imprint.contracts.EventType;
import io.imprint.contracts.events.CeremonySealedV1;
import io.imprint.contracts.events.CertIssuedV1;
import io.imprint.contracts.events.CertRevokedV1;
import io.imprint.contracts.events.CsrRejectedV1;
import io.imprint.contracts.events.ImprintEvent;
import io.imprint.contracts.events.OrderChangedV1;
import io.imprint.contracts.events.ShipmentRecordedV1;
import io.imprint.contracts.events.StationRevokedV1;
import io.imprint.pki.audit.AuditChain;
import io.imprint.pki.audit.MerkleTree;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * What a log record says about its event. The searchable columns are copies of fields of the logged event
 * bytes, which the hash covers; {@link #mismatch} tells a column edited after the fact.
 */
final class LoggedEvents {
    private LoggedEvents() {}

    /** A log record for the event, its columns filled from it; hashes and payload are the caller's. */
    static AuditRecordEntity describe(ImprintEvent event) {
        AuditRecordEntity r = new AuditRecordEntity();
        r.eventType = EventType.of(event).ceType();
        r.requestId = event.requestId();
        if (event instanceof CertIssuedV1 e) {
            fill(r, e.deviceId(), e.serialNumber(), e.factoryId(), e.stationId(), e.orderId(), null, e.issuedAt());
        } else if (event instanceof CsrRejectedV1 e) {
            fill(
                    r,
                    e.deviceId(),
                    null,
                    e.factoryId(),
                    e.stationId(),
                    e.orderId(),
                    e.reason().name(),
                    e.rejectedAt());
        } else if (event instanceof CertRevokedV1 e) {
            fill(r, e.deviceId(), e.serialNumber(), null, null, null, e.reason().name(), e.revokedAt());
        } else if (event instanceof OrderChangedV1 e) {
            fill(r, null, null, e.factoryId(), null, e.orderId(), null, e.changedAt());
        } else if (event instanceof ShipmentRecordedV1 e) {
            fill(r, null, null, e.factoryId(), null, e.orderId(), null, e.shippedAt());
        } else if (event instanceof CeremonySealedV1 e) {
            // A station enrolment is found by its station; the sealing CA's serial finds what that CA sealed.
            String only = e.stations().size() == 1 ? e.stations().get(0) : null;
            fill(
                    r,
                    null,
                    e.sealerSerial(),
                    only == null ? null : only.substring(0, only.indexOf('/')),
                    only == null ? null : only.substring(only.indexOf('/') + 1),
                    null,
                    null,
                    e.sealedAt() == null ? e.recordedAt() : e.sealedAt());
        } else if (event instanceof StationRevokedV1 e) {
            // The station's own certificate: found by its serial, never taken for a device's.
            fill(r, null, e.serialNumber(), null, null, null, null, e.revokedAt());
        } else {
            throw new IllegalArgumentException(
                    "audit does not log " + event.getClass().getSimpleName());
        }
        return r;
    }

    private static void fill(
            AuditRecordEntity r,
            String device,
            String serial,
            String factory,
            String station,
            String order,
            String reason,
            Instant at) {
        r.deviceId = device;
        r.serialNumber = serial;
        r.factoryId = factory;
        r.stationId = station;
        r.orderId = order;
        r.reason = reason;
        r.occurredAt = at;
    }

    /** What the record is as a leaf of the Merkle tree: its event type, a newline, and its event bytes. */
    static byte[] entry(AuditRecordEntity record) {
        return AuditChain.leafEntry(record.eventType, record.payload);
    }

    /** The record's RFC 9162 leaf hash, hex. */
    static String leafHash(AuditRecordEntity record) {
        return HexFormat.of().formatHex(MerkleTree.leafHash(entry(record)));
    }

    /** The first column of {@code record} that its own event does not say, as a sentence; null when all agree. */
    static String mismatch(AuditRecordEntity record) {
        AuditRecordEntity expected;
        try {
            expected = describe(EventCodec.decode(
                    record.payload.getBytes(StandardCharsets.UTF_8),
                    EventType.ofCeType(record.eventType).recordType()));
        } catch (RuntimeException e) {
            return "its event cannot be read as " + record.eventType + ": " + e.getMessage();
        }
        Map<String, Object[]> columns = new LinkedHashMap<>();
        columns.put("event_type", new Object[] {record.eventType, expected.eventType});
        columns.put("request_id", new Object[] {record.requestId, expected.requestId});
        columns.put("device_id", new Object[] {record.deviceId, expected.deviceId});
        columns.put("serial_number", new Object[] {record.serialNumber, expected.serialNumber});
        columns.put("factory_id", new Object[] {record.factoryId, expected.factoryId});
        columns.put("station_id", new Object[] {record.stationId, expected.stationId});
        columns.put("order_id", new Object[] {record.orderId, expected.orderId});
        columns.put("reason", new Object[] {record.reason, expected.reason});
        if (!sameMicrosecond(record.occurredAt, expected.occurredAt)) {
            columns.put("occurred_at", new Object[] {record.occurredAt, expected.occurredAt});
        }
        for (Map.Entry<String, Object[]> column : columns.entrySet()) {
            Object stored = column.getValue()[0];
            Object logged = column.getValue()[1];
            if (!Objects.equals(stored, logged)) {
                return "its " + column.getKey() + " says " + stored + ", its event says " + logged;
            }
        }
        return null;
    }

    /** PostgreSQL keeps microseconds, rounding what is finer. */
    private static boolean sameMicrosecond(Instant stored, Instant logged) {
        if (stored == null || logged == null) {
            return stored == null && logged == null;
        }
        return Math.abs(Duration.between(stored, logged).toNanos()) < 1_000;
    }
}
