package io.imprint.fleet.service;

import io.imprint.contracts.events.CertIssuedV1;
import io.imprint.contracts.events.CertRevokedV1;
import io.imprint.contracts.events.DeviceAddedV1;
import io.imprint.fleet.persistence.DeviceEntity;
import io.imprint.fleet.persistence.DeviceRepository;
import io.imprint.fleet.persistence.RevokedCertificateEntity;
import io.imprint.pki.Pem;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Comparator;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Keeps the device inventory; its state only moves forward. A device's current certificate is its newest
 * (by the certificate's own notBefore, then serial: what the CA signed, not what an event claims); an older
 * certificate never replaces it, and a revoked serial never becomes current again, whatever is replayed.
 * Registration is idempotent: a redelivered {@code cert.issued} of the current certificate yields the same
 * {@code device.added} again (consumers dedupe on requestId), never a second device.
 */
@ApplicationScoped
public class FleetService {
    private static final Logger LOG = Logger.getLogger(FleetService.class);
    private static final Comparator<X509Certificate> AGE = Comparator.comparing(
                    (X509Certificate c) -> c.getNotBefore().toInstant())
            .thenComparing(X509Certificate::getSerialNumber);

    private final DeviceRepository devices;

    public FleetService(DeviceRepository devices) {
        this.devices = devices;
    }

    /**
     * Registers a verified certificate; the {@code device.added} to announce, or empty when the event changes
     * nothing (a revoked serial, an older certificate, or the current one of a revoked device).
     */
    public Uni<Optional<DeviceAddedV1>> register(CertIssuedV1 issued, X509Certificate certificate) {
        return Panache.withTransaction(() -> Panache.getSession()
                        .chain(s -> s.find(RevokedCertificateEntity.class, issued.serialNumber()))
                        .chain(revoked -> revoked != null
                                ? Uni.createFrom().item(Optional.<DeviceEntity>empty())
                                : devices.findById(issued.deviceId())
                                        .chain(existing -> current(existing, issued, certificate))))
                .map(device -> device.map(d -> new DeviceAddedV1(
                        d.requestId,
                        d.deviceId,
                        d.factoryId,
                        d.orderId,
                        d.serialNumber,
                        d.issuer,
                        d.certificate,
                        Instant.now())));
    }

    private Uni<Optional<DeviceEntity>> current(
            DeviceEntity existing, CertIssuedV1 issued, X509Certificate certificate) {
        if (existing != null && existing.serialNumber.equals(issued.serialNumber())) {
            return Uni.createFrom()
                    .item(existing.status == DeviceEntity.Status.ACTIVE ? Optional.of(existing) : Optional.empty());
        }
        if (existing != null
                && AGE.compare(
                                certificate,
                                Pem.certificates(existing.certificate).get(0))
                        < 0) {
            LOG.infof(
                    "device %s keeps its newer certificate %s; %s is older",
                    issued.deviceId(), existing.serialNumber, issued.serialNumber());
            return Uni.createFrom().item(Optional.empty());
        }
        DeviceEntity device = existing != null ? existing : new DeviceEntity();
        device.deviceId = issued.deviceId();
        device.serialNumber = issued.serialNumber();
        device.issuer = issued.issuer();
        device.factoryId = issued.factoryId();
        device.stationId = issued.stationId();
        device.orderId = issued.orderId();
        device.requestId = issued.requestId();
        device.certificate = issued.certificate();
        device.status = DeviceEntity.Status.ACTIVE;
        device.provisionedAt = certificate.getNotBefore().toInstant();
        return devices.persist(device).map(Optional::of);
    }

    /**
     * Records the revocation for good, and marks the device whose current certificate it was; a revoked older
     * certificate changes no device.
     */
    public Uni<Void> revoked(CertRevokedV1 revoked) {
        return Panache.withTransaction(() -> Panache.getSession()
                .chain(s -> s.find(RevokedCertificateEntity.class, revoked.serialNumber())
                        .chain(known -> {
                            if (known != null) {
                                return Uni.createFrom().voidItem();
                            }
                            RevokedCertificateEntity entry = new RevokedCertificateEntity();
                            entry.serialNumber = revoked.serialNumber();
                            entry.revokedAt = revoked.revokedAt();
                            return s.persist(entry);
                        }))
                .chain(() -> devices.findBySerial(revoked.serialNumber()))
                .chain(device -> {
                    if (device == null) {
                        return Uni.createFrom().voidItem();
                    }
                    device.status = DeviceEntity.Status.REVOKED;
                    return devices.persist(device).replaceWithVoid();
                }));
    }

    /** The device, or null when the inventory has none of that id; in the caller's session. */
    public Uni<DeviceView> device(String deviceId) {
        return devices.findById(deviceId).map(device -> device == null ? null : DeviceView.of(device));
    }

    /** In the caller's session. */
    public Uni<DeviceView.Stats> stats() {
        return devices.countByStatus(DeviceEntity.Status.ACTIVE)
                .chain(active -> devices.countByStatus(DeviceEntity.Status.REVOKED)
                        .map(revoked -> new DeviceView.Stats(active + revoked, active, revoked)));
    }
}
