package io.imprint.contracts.events;

import java.time.Instant;

/**
 * An operator asks, away from csr-intake's API, for a production order to be opened or closed: at headquarters for an
 * offline factory (the factory's link carries the record and its csr-intake acts when it arrives). Signed by the
 * operator's own key (headers {@code imprint-operator-cert}, {@code imprint-operator-signature}); csr-intake acts only
 * when the signature verifies under the operator CA, the certificate names this {@code operator} and the roles file
 * gives them order-admin. An order is opened once and never reopened, and closing is final, so a request read twice
 * (or replayed later) changes nothing more. The order's finer rules (device id pattern, secure-element types,
 * attestation, manifest) are set through csr-intake's API only.
 *
 * @param requestId   chosen by the operator's tool (a UUID)
 * @param action      {@code open} or {@code close}
 * @param factoryId   for {@code open}: the factory that builds it
 * @param productModel for {@code open}
 * @param quantity    for {@code open}: how many devices the order allows
 * @param notBefore   for {@code open}, optional: when provisioning may start (now if absent)
 * @param notAfter    for {@code open}: when the order stops accepting devices
 * @param operator    who asks: the operator name of the signing certificate
 * @param requestedAt when the operator signed it
 */
public record OrderRequestedV1(
        String requestId,
        String action,
        String orderId,
        String factoryId,
        String productModel,
        Long quantity,
        Instant notBefore,
        Instant notAfter,
        String operator,
        Instant requestedAt)
        implements ImprintEvent {
    public static final String OPEN = "open";
    public static final String CLOSE = "close";

    public OrderRequestedV1 {
        Require.text(requestId, "requestId");
        Require.text(orderId, "orderId");
        Require.text(operator, "operator");
        Require.present(requestedAt, "requestedAt");
        if (OPEN.equals(action)) {
            Require.text(factoryId, "factoryId");
            Require.text(productModel, "productModel");
            Require.present(quantity, "quantity");
            Require.present(notAfter, "notAfter");
        } else if (!CLOSE.equals(action)) {
            throw new IllegalArgumentException("field 'action' must be open or close");
        }
    }
}
