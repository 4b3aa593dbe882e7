package io.imprint.fleet.service;

import io.imprint.fleet.persistence.DeviceEntity;
import java.time.Instant;

/** One device of the inventory, as the read API shows it. */
public record DeviceView(
        String deviceId,
        String status,
        String serialNumber,
        String issuer,
        String factoryId,
        String stationId,
        String orderId,
        String requestId,
        Instant provisionedAt,
        String certificate) {
    static DeviceView of(DeviceEntity e) {
        return new DeviceView(
                e.deviceId,
                e.status.name(),
                e.serialNumber,
                e.issuer,
                e.factoryId,
                e.stationId,
                e.orderId,
                e.requestId,
                e.provisionedAt,
                e.certificate);
    }

    /** Devices in the inventory, by status. */
    public record Stats(long total, long active, long revoked) {}
}
