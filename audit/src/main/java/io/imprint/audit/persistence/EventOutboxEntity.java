package io.imprint.audit.persistence;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/**
 * A log record audit publishes (a shipment of an uploaded file, an uploaded ceremony), waiting to be (or
 * already) on its type's topic.
 */
@Entity
@Table(name = "event_outbox")
public class EventOutboxEntity {
    /** The record's leaf index: rows go out in log order. */
    @Id
    @Column(name = "leaf_index")
    public Long leafIndex;

    @Column(name = "event_type", nullable = false, length = 64)
    public String eventType;

    @Column(name = "request_id", nullable = false, length = 128)
    public String requestId;

    /** The Kafka record key. */
    @Column(name = "event_key", nullable = false, length = 128)
    public String eventKey;

    /** The event exactly as logged. */
    @Column(name = "payload", nullable = false, columnDefinition = "text")
    public String payload;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "published_at")
    public Instant publishedAt;
}
