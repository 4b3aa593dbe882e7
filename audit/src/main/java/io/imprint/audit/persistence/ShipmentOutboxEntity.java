package io.imprint.audit.persistence;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** An uploaded shipment, logged, waiting to be (or sent) to {@code imprint.shipment.recorded.v1}. */
@Entity
@Table(name = "shipment_outbox")
public class ShipmentOutboxEntity {
    @Id
    @Column(name = "shipment_id", length = 128)
    public String shipmentId;

    @Column(name = "order_id", nullable = false, length = 128)
    public String orderId;

    /** The event exactly as logged. */
    @Column(name = "payload", nullable = false, columnDefinition = "text")
    public String payload;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "published_at")
    public Instant publishedAt;
}
