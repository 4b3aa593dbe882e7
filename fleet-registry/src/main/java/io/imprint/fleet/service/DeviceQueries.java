package io.imprint.fleet.service;

import io.imprint.fleet.persistence.DeviceCertificateRepository;
import io.imprint.fleet.persistence.DeviceEntity;
import io.imprint.fleet.persistence.DeviceRepository;
import io.imprint.fleet.persistence.DeviceRepository.Criteria;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

/** Reads of the inventory: one device by id or by any serial it was given, listings with a cursor, counts. */
@ApplicationScoped
public class DeviceQueries {
    public static final int MAX_PAGE = 1000;
    private final DeviceRepository devices;
    private final DeviceCertificateRepository certificates;

    public DeviceQueries(DeviceRepository devices, DeviceCertificateRepository certificates) {
        this.devices = devices;
        this.certificates = certificates;
    }

    /** The device with its certificate history, or null. */
    public Uni<DeviceView> device(String deviceId) {
        return Panache.withSession(() -> devices.findById(deviceId)
                .chain(device -> device == null
                        ? Uni.createFrom().nullItem()
                        : certificates.history(deviceId).map(history -> DeviceView.of(device, history))));
    }

    /** The device given the certificate with this serial, current or not; or null. */
    public Uni<DeviceView> bySerial(String serial) {
        return Panache.withSession(() -> certificates.findById(serial.toLowerCase(Locale.ROOT)))
                .chain(entry -> entry == null ? Uni.createFrom().nullItem() : device(entry.deviceId));
    }

    /**
     * Devices matching every criterion given, by device id, a page at a time.
     *
     * @param status {@code provisioned}, {@code shipped} or {@code revoked}, or null
     * @throws IllegalArgumentException for an unknown status
     */
    public Uni<DeviceView.Page> list(
            String factoryId, String orderId, String status, Instant from, Instant to, String after, int limit) {
        Criteria criteria = new Criteria(factoryId, orderId, status(status), from, to);
        int size = Math.min(Math.max(limit, 1), MAX_PAGE);
        return Panache.withSession(() -> devices.list(criteria, after, size)).map(found -> {
            List<DeviceView> views =
                    found.stream().map(d -> DeviceView.of(d, List.of())).toList();
            return new DeviceView.Page(
                    views,
                    views.size() < size ? null : views.get(views.size() - 1).deviceId());
        });
    }

    public Uni<DeviceView.Stats> stats() {
        return Panache.withSession(() -> devices.countByStatus(DeviceEntity.Status.PROVISIONED)
                .chain(provisioned -> devices.countByStatus(DeviceEntity.Status.SHIPPED)
                        .chain(shipped -> devices.countByStatus(DeviceEntity.Status.REVOKED)
                                .map(revoked -> new DeviceView.Stats(
                                        provisioned + shipped + revoked, provisioned, shipped, revoked)))));
    }

    private static DeviceEntity.Status status(String status) {
        if (status == null || status.isBlank()) {
            return null;
        }
        try {
            return DeviceEntity.Status.valueOf(status.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("status must be provisioned, shipped or revoked", e);
        }
    }
}
