package io.imprint.contracts.events;

import java.time.Instant;

/** fleet-registry added a device to the inventory: what the fleet platform onboards from. */
public record DeviceAddedV1(
        String requestId,
        String deviceId,
        String factoryId,
        String orderId,
        String serialNumber,
        String issuer,
        String certificate,
        Instant addedAt)
        implements ImprintEvent {
    public DeviceAddedV1 {
        Require.text(requestId, "requestId");
        Require.text(deviceId, "deviceId");
        Require.text(factoryId, "factoryId");
        Require.text(orderId, "orderId");
        Require.text(serialNumber, "serialNumber");
        Require.text(issuer, "issuer");
        Require.text(certificate, "certificate");
        Require.present(addedAt, "addedAt");
    }
}
