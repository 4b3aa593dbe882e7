package io.imprint.intake.service;

import io.imprint.intake.persistence.ProductionOrderEntity;
import java.time.Instant;
import java.util.List;

/** An order as the operator API shows it, with its progress. */
public record OrderView(
        String orderId,
        String factoryId,
        String productModel,
        int quantity,
        int acceptedCount,
        int remaining,
        Instant notBefore,
        Instant notAfter,
        String deviceIdPattern,
        OrderRequest.DeviceIdRange deviceIdRange,
        List<String> secureElementTypes,
        boolean attestationRequired,
        boolean allowReprovisioning,
        String issuingCa,
        String profile,
        List<String> ignoredCsrAttributes,
        int manifestSize,
        String status,
        Instant createdAt,
        String createdBy,
        Instant closedAt) {

    static OrderView of(ProductionOrderEntity e, long accepted) {
        return new OrderView(
                e.orderId,
                e.factoryId,
                e.productModel,
                e.quantity,
                (int) accepted,
                e.quantity - (int) accepted,
                e.notBefore,
                e.notAfter,
                e.deviceIdPattern,
                e.deviceIdFirst == null ? null : new OrderRequest.DeviceIdRange(e.deviceIdFirst, e.deviceIdLast),
                List.copyOf(e.types()),
                e.attestationRequired,
                e.allowReprovisioning,
                e.issuingCa,
                e.profile,
                e.ignoredAttributes().stream().sorted().toList(),
                e.manifestSize,
                e.open ? "OPEN" : "CLOSED",
                e.createdAt,
                e.createdBy,
                e.closedAt);
    }
}
