package io.imprint.fleet.service;

import io.imprint.contracts.EventCodec;
import io.imprint.contracts.EventType;
import io.imprint.contracts.events.DeviceAddedV1;
import io.imprint.contracts.events.DeviceStateV1;
import io.imprint.contracts.events.DeviceStateV1.DeviceCertificate;
import io.imprint.contracts.events.ImprintEvent;
import io.imprint.fleet.persistence.DeviceCertificateEntity;
import io.imprint.fleet.persistence.DeviceEntity;
import io.imprint.fleet.persistence.OutboxEntity;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

/** The fleet contract's events of a device, as the outbox holds them. */
final class DeviceStates {
    private DeviceStates() {}

    static DeviceStateV1 state(DeviceEntity d, List<DeviceCertificateEntity> history) {
        return new DeviceStateV1(
                "device-" + d.deviceId + "-v" + d.version,
                d.deviceId,
                d.version,
                d.status.name().toLowerCase(Locale.ROOT),
                d.productModel,
                d.secureElementType,
                d.factoryId,
                d.stationId,
                d.orderId,
                d.serialNumber,
                d.issuer,
                d.certificate,
                d.provisionedAt,
                d.shippedAt,
                d.revokedAt,
                history.stream().map(DeviceStates::certificate).toList(),
                d.changedAt);
    }

    static DeviceCertificate certificate(DeviceCertificateEntity c) {
        return new DeviceCertificate(c.serialNumber, c.issuer, c.status.name().toLowerCase(Locale.ROOT), c.notBefore);
    }

    /** Announced once per device, when it first enters the inventory. */
    static DeviceAddedV1 added(DeviceEntity d) {
        return new DeviceAddedV1(
                d.requestId, d.deviceId, d.factoryId, d.orderId, d.serialNumber, d.issuer, d.certificate, d.changedAt);
    }

    static OutboxEntity outbox(ImprintEvent event, String key, Instant now) {
        OutboxEntity row = new OutboxEntity();
        row.topic = EventType.of(event).topic();
        row.eventKey = key;
        row.payload = new String(EventCodec.encode(event), StandardCharsets.UTF_8);
        row.createdAt = now;
        return row;
    }
}
