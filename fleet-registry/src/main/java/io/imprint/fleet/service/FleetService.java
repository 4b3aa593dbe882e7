package io.imprint.fleet.service;

import io.imprint.contracts.events.CertIssuedV1;
import io.imprint.contracts.events.CertRevokedV1;
import io.imprint.contracts.events.DeviceAddedV1;
import io.imprint.fleet.persistence.DeviceEntity;
import io.imprint.fleet.persistence.DeviceRepository;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;

/**
 * Keeps the device inventory. Registration is idempotent per request: a redelivered {@code cert.issued}
 * yields the same {@code device.added} again (consumers dedupe on requestId), never a second device.
 */
@ApplicationScoped
public class FleetService {
    private final DeviceRepository devices;

    public FleetService(DeviceRepository devices) {
        this.devices = devices;
    }

    public Uni<DeviceAddedV1> register(CertIssuedV1 issued) {
        return Panache.withTransaction(() -> devices.findById(issued.deviceId()).chain(existing -> {
            DeviceEntity device = existing != null ? existing : new DeviceEntity();
            if (existing == null || !issued.requestId().equals(existing.requestId)) {
                device.deviceId = issued.deviceId();
                device.serialNumber = issued.serialNumber();
                device.issuer = issued.issuer();
                device.factoryId = issued.factoryId();
                device.stationId = issued.stationId();
                device.orderId = issued.orderId();
                device.requestId = issued.requestId();
                device.certificate = issued.certificate();
                device.status = DeviceEntity.Status.ACTIVE;
                device.provisionedAt = issued.issuedAt();
            }
            return devices.persist(device);
        })).map(device -> new DeviceAddedV1(device.requestId, device.deviceId, device.factoryId, device.orderId,
                device.serialNumber, device.issuer, device.certificate, Instant.now()));
    }

    /** Marks the device whose current certificate was revoked; a revoked older certificate changes nothing. */
    public Uni<Void> revoked(CertRevokedV1 revoked) {
        return Panache.withTransaction(() -> devices.findBySerial(revoked.serialNumber()).chain(device -> {
            if (device == null) {
                return Uni.createFrom().voidItem();
            }
            device.status = DeviceEntity.Status.REVOKED;
            return devices.persist(device).replaceWithVoid();
        }));
    }
}
