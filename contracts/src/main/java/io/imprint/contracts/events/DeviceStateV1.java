package io.imprint.contracts.events;

import java.time.Instant;
import java.util.List;
import java.util.Set;

/**
 * The whole state of one device as fleet-registry holds it, published on every change to a compacted topic
 * keyed by device id: a new consumer reading it from the beginning rebuilds the fleet with Kafka alone.
 *
 * @param requestId {@code device-<deviceId>-v<version>}: the same state sent twice is one
 * @param version increases with every change of the device; a reader keeps the highest it has seen
 * @param status one of {@link #PROVISIONED}, {@link #SHIPPED}, {@link #REVOKED}
 * @param productModel the order's product model, or null when the issuance did not carry it
 * @param secureElementType the secure element's type, or null
 * @param serialNumber the current certificate's serial (lower-case hex)
 * @param certificate the current certificate, PEM
 * @param certificates every certificate the device was given, newest first
 */
public record DeviceStateV1(
        String requestId,
        String deviceId,
        long version,
        String status,
        String productModel,
        String secureElementType,
        String factoryId,
        String stationId,
        String orderId,
        String serialNumber,
        String issuer,
        String certificate,
        Instant provisionedAt,
        Instant shippedAt,
        Instant revokedAt,
        List<DeviceCertificate> certificates,
        Instant changedAt)
        implements ImprintEvent {
    public static final String PROVISIONED = "provisioned";
    public static final String SHIPPED = "shipped";
    public static final String REVOKED = "revoked";
    private static final Set<String> STATUSES = Set.of(PROVISIONED, SHIPPED, REVOKED);

    public DeviceStateV1 {
        Require.text(requestId, "requestId");
        Require.text(deviceId, "deviceId");
        Require.text(factoryId, "factoryId");
        Require.text(orderId, "orderId");
        Require.text(serialNumber, "serialNumber");
        Require.text(issuer, "issuer");
        Require.text(certificate, "certificate");
        Require.present(provisionedAt, "provisionedAt");
        Require.present(changedAt, "changedAt");
        certificates = Require.list(certificates, "certificates");
        if (!STATUSES.contains(status)) {
            throw new IllegalArgumentException("field 'status' must be provisioned, shipped or revoked");
        }
        if (version < 1) {
            throw new IllegalArgumentException("field 'version' must be positive");
        }
    }

    /**
     * One certificate of the device's history.
     *
     * @param status {@code current}, {@code superseded} (a newer one replaced it) or {@code revoked}
     */
    public record DeviceCertificate(String serialNumber, String issuer, String status, Instant notBefore) {
        public static final String CURRENT = "current";
        public static final String SUPERSEDED = "superseded";
        public static final String REVOKED = "revoked";
    }
}
