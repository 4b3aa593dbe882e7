package io.imprint.fleet.service;

import io.imprint.contracts.events.CertIssuedV1;
import io.imprint.contracts.events.CertRevokedV1;
import io.imprint.contracts.events.ShipmentRecordedV1;
import io.imprint.fleet.persistence.DeviceCertificateEntity;
import io.imprint.fleet.persistence.DeviceCertificateRepository;
import io.imprint.fleet.persistence.DeviceEntity;
import io.imprint.fleet.persistence.DeviceRepository;
import io.imprint.fleet.persistence.RevokedCertificateEntity;
import io.imprint.fleet.persistence.ShippedDeviceEntity;
import io.imprint.pki.Pem;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.hibernate.reactive.mutiny.Mutiny;
import org.jboss.logging.Logger;

/**
 * Keeps the device inventory; its state only moves forward. A device's current certificate is its newest
 * (by the certificate's own notBefore, then serial: what the CA signed, not what an event claims); an older
 * certificate joins its history as superseded, and a revoked serial never becomes current again, whatever is
 * replayed. Every change raises the device's version and puts its whole state in the outbox, in the same
 * transaction; {@code device.added} goes there once per device, when it first enters the inventory. A serial
 * seen before changes nothing, so replays announce nothing. Every device and serial a transaction touches is
 * locked first, so an issuance, a revocation and a shipment of one device arriving at once on different
 * consumers all count.
 */
@ApplicationScoped
public class FleetService {
    private static final Logger LOG = Logger.getLogger(FleetService.class);
    private static final Comparator<X509Certificate> AGE = Comparator.comparing(
                    (X509Certificate c) -> c.getNotBefore().toInstant())
            .thenComparing(X509Certificate::getSerialNumber);

    /** The first key of fleet-registry's advisory locks: the second is a device id's or serial's hash. */
    private static final int LOCK_SPACE = 0x0F1EE7;

    private final DeviceRepository devices;
    private final DeviceCertificateRepository certificates;

    public FleetService(DeviceRepository devices, DeviceCertificateRepository certificates) {
        this.devices = devices;
        this.certificates = certificates;
    }

    /** A change of the inventory an event asks for. */
    public sealed interface Change permits Issued, Revoked, Shipped {}

    /** A certificate issued, verified against a trusted issuing CA. */
    public record Issued(CertIssuedV1 event, X509Certificate certificate) implements Change {}

    public record Revoked(CertRevokedV1 event) implements Change {}

    public record Shipped(ShipmentRecordedV1 event) implements Change {}

    /** Applies the changes in order, in one transaction (a poll's worth, say). */
    public Uni<Void> apply(List<? extends Change> changes) {
        List<Issued> issuances = changes.stream()
                .filter(Issued.class::isInstance)
                .map(Issued.class::cast)
                .toList();
        return Panache.withTransaction(() -> Panache.getSession().chain(s -> {
            Uni<Void> all = lock(s, changes);
            if (issuances.size() == changes.size()) {
                // A poll of issuances (the busiest topic): what the database holds of them, read once.
                return all.chain(() -> known(s, issuances)).chain(known -> {
                    Uni<Void> each = Uni.createFrom().voidItem();
                    for (Issued i : issuances) {
                        each = each.chain(() -> register(s, known, i.event(), i.certificate()));
                    }
                    return each;
                });
            }
            for (Change change : changes) {
                // Flushed after each, so the next one's queries see what this one wrote.
                all = all.chain(() -> applyIn(s, change)).chain(s::flush);
            }
            return all;
        }));
    }

    /** What the database holds of a poll's issuances, read before any is applied and kept current as they are. */
    private record Known(
            Map<String, Instant> revoked,
            Set<String> serials,
            Map<String, DeviceEntity> devices,
            Map<String, ShippedDeviceEntity> shipped) {}

    private Uni<Known> known(Mutiny.Session s, List<Issued> issuances) {
        List<String> serials =
                issuances.stream().map(i -> i.event().serialNumber()).distinct().toList();
        List<String> ids =
                issuances.stream().map(i -> i.event().deviceId()).distinct().toList();
        return s.createQuery(
                        "FROM RevokedCertificateEntity WHERE serialNumber IN :serials", RevokedCertificateEntity.class)
                .setParameter("serials", serials)
                .getResultList()
                .chain(revoked -> s.createQuery(
                                "SELECT serialNumber FROM DeviceCertificateEntity WHERE serialNumber IN :serials",
                                String.class)
                        .setParameter("serials", serials)
                        .getResultList()
                        .chain(known -> devices.list("deviceId IN ?1", ids)
                                .chain(found -> s.createQuery(
                                                "FROM ShippedDeviceEntity WHERE deviceId IN :ids",
                                                ShippedDeviceEntity.class)
                                        .setParameter("ids", ids)
                                        .getResultList()
                                        .map(shipped -> new Known(
                                                revoked.stream()
                                                        .collect(Collectors.toMap(
                                                                r -> r.serialNumber, r -> r.revokedAt)),
                                                new HashSet<>(known),
                                                found.stream().collect(Collectors.toMap(d -> d.deviceId, d -> d)),
                                                shipped.stream()
                                                        .collect(Collectors.toMap(d -> d.deviceId, d -> d)))))));
    }

    /**
     * Takes, in one sorted order, a transaction lock on every device and serial the changes touch. Issuances,
     * revocations and shipments arrive on different topics and consumers: without it, a shipment committing while
     * its device's issuance commits would each miss the other, and so would a revocation and its issuance.
     */
    private static Uni<Void> lock(Mutiny.Session s, List<? extends Change> changes) {
        TreeSet<String> keys = new TreeSet<>();
        for (Change change : changes) {
            if (change instanceof Issued i) {
                keys.add(i.event().deviceId());
                keys.add(i.event().serialNumber());
            } else if (change instanceof Revoked r) {
                keys.add(r.event().serialNumber());
            } else {
                keys.addAll(((Shipped) change).event().deviceIds());
            }
        }
        if (keys.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return s.createNativeQuery("SELECT count(pg_advisory_xact_lock(" + LOCK_SPACE + ", hashtext(k)))"
                        + " FROM (SELECT unnest(CAST(:keys AS text[])) AS k ORDER BY 1) AS sorted")
                .setParameter("keys", keys.toArray(String[]::new))
                .getSingleResult()
                .replaceWithVoid();
    }

    private Uni<Void> applyIn(Mutiny.Session s, Change change) {
        if (change instanceof Issued i) {
            return known(s, List.of(i)).chain(known -> register(s, known, i.event(), i.certificate()));
        }
        if (change instanceof Revoked r) {
            return revoked(s, r.event());
        }
        return shipped(s, ((Shipped) change).event());
    }

    /** Registers a verified certificate. */
    private Uni<Void> register(Mutiny.Session s, Known known, CertIssuedV1 issued, X509Certificate certificate) {
        // A serial a device already has is never registered again, and a revoked one never becomes current.
        if (!known.serials().add(issued.serialNumber())) {
            return Uni.createFrom().voidItem();
        }
        Instant revokedAt = known.revoked().get(issued.serialNumber());
        DeviceEntity existing = known.devices().get(issued.deviceId());
        if (existing == null) {
            // Topics are not ordered with each other: a device whose revocation came first is registered revoked.
            return added(s, known, issued, certificate, revokedAt);
        }
        if (revokedAt != null) {
            return Uni.createFrom().voidItem();
        }
        // The history is read from the database: what this poll wrote of the device goes there first.
        return s.flush()
                .chain(() -> certificates.history(existing.deviceId))
                .chain(history -> reprovisioned(s, existing, history, issued, certificate));
    }

    private Uni<Void> added(
            Mutiny.Session s, Known known, CertIssuedV1 issued, X509Certificate certificate, Instant revokedAt) {
        ShippedDeviceEntity shipped = known.shipped().get(issued.deviceId());
        Instant now = Instant.now();
        DeviceEntity device = new DeviceEntity();
        current(device, issued, certificate);
        device.shippedAt = shipped == null ? null : shipped.shippedAt;
        device.status = revokedAt != null
                ? DeviceEntity.Status.REVOKED
                : shipped == null ? DeviceEntity.Status.PROVISIONED : DeviceEntity.Status.SHIPPED;
        device.revokedAt = revokedAt;
        device.version = 1;
        device.changedAt = now;
        DeviceCertificateEntity entry = entry(
                issued,
                certificate,
                revokedAt != null ? DeviceCertificateEntity.Status.REVOKED : DeviceCertificateEntity.Status.CURRENT);
        known.devices().put(device.deviceId, device);
        return s.persistAll(
                device,
                entry,
                DeviceStates.outbox(DeviceStates.added(device), device.deviceId, now),
                DeviceStates.outbox(DeviceStates.state(device, List.of(entry)), device.deviceId, now));
    }

    private Uni<Void> reprovisioned(
            Mutiny.Session s,
            DeviceEntity device,
            List<DeviceCertificateEntity> history,
            CertIssuedV1 issued,
            X509Certificate certificate) {
        boolean older =
                AGE.compare(certificate, Pem.certificates(device.certificate).get(0)) < 0;
        DeviceCertificateEntity entry = entry(
                issued,
                certificate,
                older ? DeviceCertificateEntity.Status.SUPERSEDED : DeviceCertificateEntity.Status.CURRENT);
        if (older) {
            LOG.infof(
                    "device %s keeps its newer certificate %s; %s joins its history as superseded",
                    issued.deviceId(), device.serialNumber, issued.serialNumber());
        } else {
            for (DeviceCertificateEntity earlier : history) {
                if (earlier.status == DeviceCertificateEntity.Status.CURRENT) {
                    earlier.status = DeviceCertificateEntity.Status.SUPERSEDED;
                }
            }
            current(device, issued, certificate);
            device.status = device.shippedAt == null ? DeviceEntity.Status.PROVISIONED : DeviceEntity.Status.SHIPPED;
            device.revokedAt = null;
        }
        List<DeviceCertificateEntity> all = new ArrayList<>(history);
        all.add(entry);
        all.sort(Comparator.comparing((DeviceCertificateEntity c) -> c.notBefore)
                .thenComparing(c -> c.serialNumber)
                .reversed());
        return s.persist(entry).chain(() -> changed(s, device, all));
    }

    /**
     * Records the revocation for good, and marks the device whose current certificate it was; a revoked older
     * certificate changes the device's history only.
     */
    private Uni<Void> revoked(Mutiny.Session s, CertRevokedV1 revoked) {
        return Uni.createFrom()
                .voidItem()
                .chain(() -> s.find(RevokedCertificateEntity.class, revoked.serialNumber())
                        .chain(known -> {
                            if (known != null) {
                                return Uni.createFrom().item((DeviceCertificateEntity) null);
                            }
                            RevokedCertificateEntity entry = new RevokedCertificateEntity();
                            entry.serialNumber = revoked.serialNumber();
                            entry.revokedAt = revoked.revokedAt();
                            return s.persist(entry).chain(() -> certificates.findById(revoked.serialNumber()));
                        })
                        .chain(entry -> entry == null
                                ? Uni.createFrom().voidItem()
                                : devices.findById(entry.deviceId, LockModeType.PESSIMISTIC_WRITE)
                                        .chain(device -> certificates
                                                .history(device.deviceId)
                                                .chain(history -> {
                                                    for (DeviceCertificateEntity c : history) {
                                                        if (c.serialNumber.equals(revoked.serialNumber())) {
                                                            c.status = DeviceCertificateEntity.Status.REVOKED;
                                                        }
                                                    }
                                                    if (device.serialNumber.equals(revoked.serialNumber())) {
                                                        device.status = DeviceEntity.Status.REVOKED;
                                                        device.revokedAt = revoked.revokedAt();
                                                    }
                                                    return changed(s, device, history);
                                                }))));
    }

    /**
     * Marks the devices a shipment scanned as shipped (a revoked one stays revoked), and remembers those whose
     * certificate has not arrived yet. A shipment reported as a count names no device and changes nothing here.
     */
    private Uni<Void> shipped(Mutiny.Session s, ShipmentRecordedV1 shipment) {
        List<String> ids = new ArrayList<>(new LinkedHashSet<>(shipment.deviceIds()));
        if (ids.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return Uni.createFrom()
                .voidItem()
                .chain(() -> rememberShipped(s, shipment, ids)
                        .chain(() -> devices.find("deviceId IN ?1 AND shippedAt IS NULL ORDER BY deviceId", ids)
                                .withLock(LockModeType.PESSIMISTIC_WRITE)
                                .list())
                        .chain(found -> found.isEmpty()
                                ? Uni.createFrom().voidItem()
                                : certificates
                                        .histories(found.stream()
                                                .map(d -> d.deviceId)
                                                .toList())
                                        .chain(histories -> shipAll(s, found, histories, shipment.shippedAt()))));
    }

    private Uni<Void> shipAll(
            Mutiny.Session s,
            List<DeviceEntity> found,
            Map<String, List<DeviceCertificateEntity>> histories,
            Instant shippedAt) {
        Uni<Void> all = Uni.createFrom().voidItem();
        for (DeviceEntity device : found) {
            device.shippedAt = shippedAt;
            if (device.status == DeviceEntity.Status.PROVISIONED) {
                device.status = DeviceEntity.Status.SHIPPED;
            }
            all = all.chain(() -> changed(s, device, histories.getOrDefault(device.deviceId, List.of())));
        }
        return all;
    }

    private static Uni<Integer> rememberShipped(Mutiny.Session s, ShipmentRecordedV1 shipment, List<String> ids) {
        // Two shipments may scan one device at once: the first stays, the second changes nothing.
        return s.createNativeQuery("INSERT INTO fleet.shipped_device (device_id, shipment_id, shipped_at)"
                        + " SELECT unnest(CAST(:ids AS text[])), :shipment, :at ON CONFLICT (device_id) DO NOTHING")
                .setParameter("ids", ids.toArray(String[]::new))
                .setParameter("shipment", shipment.requestId())
                .setParameter("at", shipment.shippedAt())
                .executeUpdate();
    }

    /** Raises the device's version and puts its whole state in the outbox. */
    private static Uni<Void> changed(Mutiny.Session s, DeviceEntity device, List<DeviceCertificateEntity> history) {
        Instant now = Instant.now();
        device.version++;
        device.changedAt = now;
        return s.persist(DeviceStates.outbox(DeviceStates.state(device, history), device.deviceId, now));
    }

    private static void current(DeviceEntity device, CertIssuedV1 issued, X509Certificate certificate) {
        device.deviceId = issued.deviceId();
        device.serialNumber = issued.serialNumber();
        device.issuer = issued.issuer();
        device.factoryId = issued.factoryId();
        device.stationId = issued.stationId();
        device.orderId = issued.orderId();
        device.requestId = issued.requestId();
        device.certificate = issued.certificate();
        if (issued.productModel() != null) {
            device.productModel = issued.productModel();
        }
        if (issued.secureElementType() != null) {
            device.secureElementType = issued.secureElementType();
        }
        if (device.provisionedAt == null) {
            device.provisionedAt = certificate.getNotBefore().toInstant();
        }
    }

    private static DeviceCertificateEntity entry(
            CertIssuedV1 issued, X509Certificate certificate, DeviceCertificateEntity.Status status) {
        DeviceCertificateEntity entry = new DeviceCertificateEntity();
        entry.serialNumber = issued.serialNumber();
        entry.deviceId = issued.deviceId();
        entry.issuer = issued.issuer();
        entry.status = status;
        entry.notBefore = certificate.getNotBefore().toInstant();
        entry.requestId = issued.requestId();
        return entry;
    }
}
