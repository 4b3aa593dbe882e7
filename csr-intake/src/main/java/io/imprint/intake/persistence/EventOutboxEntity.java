package io.imprint.intake.persistence;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/**
 * An event committed with the change it tells of (an order created or closed, a station revoked) and waiting for
 * (or already on) its topic.
 */
@Entity
@Table(name = "event_outbox")
public class EventOutboxEntity {
    @Id
    @Column(name = "request_id", length = 160)
    public String requestId;

    /** Its CloudEvents type, e.g. {@code imprint.order.changed}. */
    @Column(name = "event_type", nullable = false, length = 64)
    public String eventType;

    /** The Kafka record key. */
    @Column(name = "event_key", nullable = false, length = 128)
    public String eventKey;

    /** The event's exact JSON, as it is signed and sent. */
    @Column(nullable = false, columnDefinition = "text")
    public String payload;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "published_at")
    public Instant publishedAt;
}
