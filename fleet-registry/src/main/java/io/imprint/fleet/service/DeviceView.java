package io.imprint.fleet.service;

import io.imprint.contracts.events.DeviceStateV1.DeviceCertificate;
import io.imprint.fleet.persistence.DeviceCertificateEntity;
import io.imprint.fleet.persistence.DeviceEntity;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

/**
 * One device of the inventory, as the read API shows it: the same fields as its {@code device.state} event.
 *
 * @param certificates its certificate history, newest first; empty in listings
 */
public record DeviceView(
        String deviceId,
        String status,
        long version,
        String productModel,
        String secureElementType,
        String serialNumber,
        String issuer,
        String factoryId,
        String stationId,
        String orderId,
        String requestId,
        Instant provisionedAt,
        Instant shippedAt,
        Instant revokedAt,
        String certificate,
        List<DeviceCertificate> certificates) {
    static DeviceView of(DeviceEntity e, List<DeviceCertificateEntity> history) {
        return new DeviceView(
                e.deviceId,
                e.status.name().toLowerCase(Locale.ROOT),
                e.version,
                e.productModel,
                e.secureElementType,
                e.serialNumber,
                e.issuer,
                e.factoryId,
                e.stationId,
                e.orderId,
                e.requestId,
                e.provisionedAt,
                e.shippedAt,
                e.revokedAt,
                e.certificate,
                history.stream().map(DeviceStates::certificate).toList());
    }

    /** Devices in the inventory, by status. */
    public record Stats(long total, long provisioned, long shipped, long revoked) {}

    /**
     * One page of a listing.
     *
     * @param next the cursor of the following page, or null on the last
     */
    public record Page(List<DeviceView> devices, String next) {}
}
