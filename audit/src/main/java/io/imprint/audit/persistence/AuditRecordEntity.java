package io.imprint.audit.persistence;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Index;
import jakarta.persistence.Table;
import jakarta.persistence.UniqueConstraint;
import java.time.Instant;

/** One logged event, linked to the one before it by {@code hash}. Rows are only ever inserted. */
@Entity
@Table(
        name = "audit_record",
        uniqueConstraints =
                @UniqueConstraint(
                        name = "audit_record_event_once",
                        columnNames = {"event_type", "request_id"}),
        indexes = {
            @Index(name = "audit_record_serial", columnList = "serial_number"),
            @Index(name = "audit_record_device", columnList = "device_id")
        })
public class AuditRecordEntity {
    /** From audit.audit_record_seq, drawn for a whole append at once ({@link AuditRepository#nextIds}). */
    @Id
    public Long id;

    @Column(name = "event_type", nullable = false, length = 64)
    public String eventType;

    @Column(name = "request_id", nullable = false, length = 128)
    public String requestId;

    @Column(name = "device_id", length = 128)
    public String deviceId;

    @Column(name = "serial_number", length = 40)
    public String serialNumber;

    @Column(name = "factory_id", length = 128)
    public String factoryId;

    @Column(name = "station_id", length = 128)
    public String stationId;

    @Column(name = "order_id", length = 128)
    public String orderId;

    /** Rejection reason code or revocation reason; null for issuance. */
    @Column(length = 64)
    public String reason;

    @Column(name = "occurred_at", nullable = false)
    public Instant occurredAt;

    @Column(name = "recorded_at", nullable = false)
    public Instant recordedAt;

    /** The event JSON exactly as received; the hash covers these bytes. */
    @Column(nullable = false, columnDefinition = "text")
    public String payload;

    @Column(name = "previous_hash", nullable = false, length = 64)
    public String previousHash;

    @Column(nullable = false, length = 64, unique = true)
    public String hash;

    /** Its position as a leaf of the log's Merkle tree: 0 for the first record, then one more each. */
    @Column(name = "leaf_index", nullable = false, unique = true)
    public Long leafIndex;

    /** RFC 9162 leaf hash of {@code event type + '\n' + payload}, hex. */
    @Column(name = "leaf_hash", nullable = false, length = 64)
    public String leafHash;
}
