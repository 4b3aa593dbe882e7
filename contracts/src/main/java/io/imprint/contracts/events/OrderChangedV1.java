package io.imprint.contracts.events;

import java.time.Instant;

/**
 * An operator created or closed a production order at csr-intake. Signed by csr-intake; audit logs it, and its
 * reconciliation takes what was ordered from it.
 *
 * @param requestId {@code order-<orderId>-<status>}: the same change sent twice is one
 * @param status {@code open} when created, {@code closed} when closed
 * @param operator who made the change, as authenticated by csr-intake
 */
public record OrderChangedV1(
        String requestId,
        String orderId,
        String factoryId,
        String productModel,
        long quantity,
        String status,
        String operator,
        Instant changedAt)
        implements ImprintEvent {
    public static final String OPEN = "open";
    public static final String CLOSED = "closed";

    public OrderChangedV1 {
        Require.text(requestId, "requestId");
        Require.text(orderId, "orderId");
        Require.text(factoryId, "factoryId");
        Require.text(productModel, "productModel");
        Require.text(operator, "operator");
        Require.present(changedAt, "changedAt");
        if (quantity < 1) {
            throw new IllegalArgumentException("field 'quantity' must be positive");
        }
        if (!OPEN.equals(status) && !CLOSED.equals(status)) {
            throw new IllegalArgumentException("field 'status' must be open or closed");
        }
    }

    /** The event of the order's change to {@code status}. */
    public static OrderChangedV1 of(
            String orderId,
            String factoryId,
            String productModel,
            long quantity,
            String status,
            String operator,
            Instant changedAt) {
        return new OrderChangedV1(
                "order-" + orderId + "-" + status,
                orderId,
                factoryId,
                productModel,
                quantity,
                status,
                operator,
                changedAt);
    }
}
