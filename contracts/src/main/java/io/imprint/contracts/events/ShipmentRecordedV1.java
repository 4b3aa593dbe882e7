package io.imprint.contracts.events;

import java.time.Instant;

/** The ERP or warehouse shipped finished devices of an order: what audit reconciles provisioning against. */
public record ShipmentRecordedV1(String requestId, String orderId, String factoryId, long quantity, Instant shippedAt)
        implements ImprintEvent {
    public ShipmentRecordedV1 {
        Require.text(requestId, "requestId");
        Require.text(orderId, "orderId");
        Require.text(factoryId, "factoryId");
        Require.present(shippedAt, "shippedAt");
        if (quantity < 0) {
            throw new IllegalArgumentException("field 'quantity' must not be negative");
        }
    }
}
