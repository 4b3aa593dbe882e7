package io.imprint.intake.persistence;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/**
 * Every request id that reached the stateful checks, kept forever: its primary key is the replay defence.
 * The decision event is stored with it, so a Kafka redelivery of the same record republishes the same
 * decision instead of deciding twice.
 */
@Entity
@Table(name = "intake_request")
public class IntakeRequestEntity {
    @Id
    @Column(name = "request_id", length = 128)
    public String requestId;

    @Column(name = "device_id", nullable = false, length = 128)
    public String deviceId;

    @Column(name = "factory_id", nullable = false, length = 128)
    public String factoryId;

    @Column(name = "station_id", nullable = false, length = 128)
    public String stationId;

    @Column(name = "order_id", nullable = false, length = 128)
    public String orderId;

    /** Where the record was read: the same request at the same place is a redelivery, elsewhere a replay. */
    @Column(name = "source", nullable = false, length = 300)
    public String source;

    @Column(nullable = false)
    public boolean accepted;

    @Column(length = 64)
    public String reason;

    /** Whether the stored event is a TPM challenge ({@code csr.challenged}) rather than a decision. */
    @Column
    public Boolean challenged;

    /**
     * The serial an accepted request's certificate gets (lower-case hex). Unique: a serial drawn twice fails
     * the decision's transaction, and the redelivered record draws again.
     */
    @Column(length = 40, unique = true)
    public String serial;

    @Column(name = "decision_event", nullable = false, columnDefinition = "text")
    public String decisionEvent;

    @Column(name = "decided_at", nullable = false)
    public Instant decidedAt;
}
