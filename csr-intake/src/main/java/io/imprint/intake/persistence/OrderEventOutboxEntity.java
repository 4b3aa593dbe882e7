package io.imprint.intake.persistence;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** An order change committed with the order and waiting for (or already on) {@code imprint.order.changed.v1}. */
@Entity
@Table(name = "order_event_outbox")
public class OrderEventOutboxEntity {
    @Id
    @Column(name = "request_id", length = 160)
    public String requestId;

    @Column(name = "order_id", nullable = false, length = 128)
    public String orderId;

    /** The event's exact JSON, as it is signed and sent. */
    @Column(nullable = false, columnDefinition = "text")
    public String payload;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "published_at")
    public Instant publishedAt;
}
