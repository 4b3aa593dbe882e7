package io.imprint.contracts.events;

import java.time.Instant;
import java.util.List;

/**
 * The ERP or warehouse shipped finished devices of an order: what audit reconciles provisioning against.
 *
 * @param requestId the shipment's own id (a delivery note number): the same shipment recorded twice is one
 * @param quantity how many devices left; equal to the number of {@code deviceIds} when those are given
 * @param deviceIds the devices shipped, when the warehouse scans them; empty when it reports a count only
 */
public record ShipmentRecordedV1(
        String requestId, String orderId, String factoryId, long quantity, Instant shippedAt, List<String> deviceIds)
        implements ImprintEvent {
    public ShipmentRecordedV1 {
        Require.text(requestId, "requestId");
        Require.text(orderId, "orderId");
        Require.text(factoryId, "factoryId");
        Require.present(shippedAt, "shippedAt");
        if (quantity < 0) {
            throw new IllegalArgumentException("field 'quantity' must not be negative");
        }
        deviceIds = deviceIds == null ? List.of() : List.copyOf(deviceIds);
        deviceIds.forEach(id -> Require.text(id, "deviceIds[]"));
        if (!deviceIds.isEmpty() && deviceIds.size() != quantity) {
            throw new IllegalArgumentException(
                    "field 'quantity' is " + quantity + " but " + deviceIds.size() + " deviceIds are listed");
        }
    }

    /** A shipment reported as a count. */
    public ShipmentRecordedV1(String requestId, String orderId, String factoryId, long quantity, Instant shippedAt) {
        this(requestId, orderId, factoryId, quantity, shippedAt, List.of());
    }
}
