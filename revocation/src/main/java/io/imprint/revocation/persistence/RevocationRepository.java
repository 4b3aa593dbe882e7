package io.imprint.revocation.persistence;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.function.Function;

/** The revocation schema: issued serials, revocations, CRLs and the CRL number sequence. */
@ApplicationScoped
public class RevocationRepository {
    /** Serialises CRL number allocation with the snapshot of entries, across revocation instances. */
    private static final long CRL_LOCK = 0x0C41L;

    public Uni<IssuedCertificateEntity> issued(String serial) {
        return Panache.getSession().chain(s -> s.find(IssuedCertificateEntity.class, serial));
    }

    public Uni<List<IssuedCertificateEntity>> issuedForDevice(String deviceId) {
        return Panache.getSession()
                .chain(s -> s.createQuery(
                                "FROM IssuedCertificateEntity WHERE deviceId = :device", IssuedCertificateEntity.class)
                        .setParameter("device", deviceId)
                        .getResultList());
    }

    /** A serial to record: what {@code cert.issued} said, with the verified certificate's notBefore. */
    public record IssuedSerial(
            String serial,
            String issuer,
            String deviceId,
            String requestId,
            Instant issuedAt,
            String factoryId,
            String stationId,
            String orderId) {}

    /** Records serials not yet recorded, in one statement; one already there (a replay) is left as it is. */
    public Uni<Integer> recordIssued(List<IssuedSerial> serials) {
        return Panache.getSession()
                .chain(s -> s.createNativeQuery("INSERT INTO revocation.issued_certificate"
                                + " (serial_number, issuer, device_id, request_id, issued_at, factory_id, station_id,"
                                + " order_id)"
                                + " SELECT serial, issuer, device, request, CAST(issued AS timestamptz), factory, station,"
                                + " ord FROM unnest(CAST(:serials AS text[]), CAST(:issuers AS text[]),"
                                + " CAST(:devices AS text[]), CAST(:requests AS text[]), CAST(:issued AS text[]),"
                                + " CAST(:factories AS text[]), CAST(:stations AS text[]), CAST(:orders AS text[]))"
                                + " AS i (serial, issuer, device, request, issued, factory, station, ord)"
                                + " ON CONFLICT (serial_number) DO NOTHING")
                        .setParameter("serials", column(serials, IssuedSerial::serial))
                        .setParameter("issuers", column(serials, IssuedSerial::issuer))
                        .setParameter("devices", column(serials, IssuedSerial::deviceId))
                        .setParameter("requests", column(serials, IssuedSerial::requestId))
                        .setParameter(
                                "issued", column(serials, i -> i.issuedAt().toString()))
                        .setParameter("factories", column(serials, IssuedSerial::factoryId))
                        .setParameter("stations", column(serials, IssuedSerial::stationId))
                        .setParameter("orders", column(serials, IssuedSerial::orderId))
                        .executeUpdate());
    }

    private static String[] column(List<IssuedSerial> serials, Function<IssuedSerial, String> value) {
        return serials.stream().map(value).toArray(String[]::new);
    }

    /** Every certificate of those of {@code deviceIds} that have more than one. */
    public Uni<List<IssuedCertificateEntity>> issuedForDevicesWithOthers(Collection<String> deviceIds) {
        return Panache.getSession()
                .chain(s -> s.createQuery(
                                "FROM IssuedCertificateEntity WHERE deviceId IN (SELECT c.deviceId"
                                        + " FROM IssuedCertificateEntity c WHERE c.deviceId IN (:devices)"
                                        + " GROUP BY c.deviceId HAVING count(*) > 1)",
                                IssuedCertificateEntity.class)
                        .setParameter("devices", deviceIds)
                        .getResultList());
    }

    public Uni<RevokedCertificateEntity> revoked(String serial) {
        return Panache.getSession().chain(s -> s.find(RevokedCertificateEntity.class, serial));
    }

    /** Every revocation of a certificate this CA (by subject name) issued, for its CRL. */
    public Uni<List<RevokedCertificateEntity>> allRevoked(String issuer) {
        return Panache.getSession()
                .chain(s -> s.createQuery(
                                "SELECT r FROM RevokedCertificateEntity r, IssuedCertificateEntity i"
                                        + " WHERE i.serialNumber = r.serialNumber AND i.issuer = :issuer ORDER BY r.revokedAt",
                                RevokedCertificateEntity.class)
                        .setParameter("issuer", issuer)
                        .getResultList());
    }

    public Uni<Void> persist(Object entity) {
        return Panache.getSession().chain(s -> s.persist(entity));
    }

    /**
     * Holds the CRL lock until the surrounding transaction ends, alone: no revocation is in flight while a CRL's
     * entries are taken, so the CRL holds every revocation whose {@code crl_due} mark its request clears.
     */
    public Uni<Void> lockCrls() {
        return advisoryLock("pg_advisory_xact_lock");
    }

    /** Holds the CRL lock shared with other revocations until the surrounding transaction ends. */
    public Uni<Void> lockCrlsShared() {
        return advisoryLock("pg_advisory_xact_lock_shared");
    }

    private static Uni<Void> advisoryLock(String function) {
        return Panache.getSession()
                .chain(s -> s.createNativeQuery("SELECT 1 FROM (SELECT " + function + "(" + CRL_LOCK + ")) AS locked")
                        .getSingleResult())
                .replaceWithVoid();
    }

    /** Marks a CA's CRL as missing a revocation; a mark already there stays as it is. */
    public Uni<Void> markCrlDue(String issuer) {
        return Panache.getSession()
                .chain(s -> s.createNativeQuery("INSERT INTO revocation.crl_due (issuer, since)"
                                + " VALUES (:issuer, now()) ON CONFLICT (issuer) DO NOTHING")
                        .setParameter("issuer", issuer)
                        .executeUpdate())
                .replaceWithVoid();
    }

    /** Clears every CA's mark and says which CAs were marked. */
    public Uni<List<String>> takeCrlDue() {
        return Panache.getSession()
                .chain(s -> s.createNativeQuery("DELETE FROM revocation.crl_due RETURNING issuer", String.class)
                        .getResultList());
    }

    /** Events not yet acknowledged by the broker, oldest first. */
    public Uni<List<OutboxEventEntity>> outbox(int limit) {
        return Panache.getSession()
                .chain(s -> s.createQuery("FROM OutboxEventEntity ORDER BY id", OutboxEventEntity.class)
                        .setMaxResults(limit)
                        .getResultList());
    }

    public Uni<Integer> deleteFromOutbox(Collection<Long> ids) {
        return Panache.getSession()
                .chain(s -> s.createMutationQuery("DELETE FROM OutboxEventEntity WHERE id IN (:ids)")
                        .setParameter("ids", ids)
                        .executeUpdate());
    }

    /**
     * Moves the CRL number sequence past {@code crlNumber}, never back. The sequence lives in this service's
     * schema ({@code quarkus.hibernate-orm.database.default-schema}).
     */
    public Uni<Void> advanceCrlNumbers(long crlNumber) {
        return Panache.getSession()
                .chain(s -> s.createNativeQuery("SELECT setval('revocation.crl_number_seq',"
                                + " GREATEST(:number, (SELECT last_value FROM revocation.crl_number_seq)))")
                        .setParameter("number", crlNumber)
                        .getSingleResult())
                .replaceWithVoid();
    }

    /** Persists and flushes, so a generated id is assigned. */
    public Uni<Void> persistAndFlush(Object entity) {
        return Panache.getSession().chain(s -> s.persist(entity).chain(s::flush));
    }

    /** When a CRL of this CA was last asked for, or null when never. */
    public Uni<Instant> lastCrlRequest(String issuer) {
        return Panache.getSession()
                .chain(s -> s.createQuery(
                                "SELECT max(requestedAt) FROM CrlRequestEntity WHERE issuer = :issuer", Instant.class)
                        .setParameter("issuer", issuer)
                        .getSingleResult());
    }

    /** The newest CRL signed by the CA key with this id, or null. */
    public Uni<CrlEntity> latestCrl(String issuerKeyId) {
        return Panache.getSession()
                .chain(s -> s.createQuery(
                                "FROM CrlEntity WHERE issuerKeyId = :key ORDER BY crlNumber DESC", CrlEntity.class)
                        .setParameter("key", issuerKeyId)
                        .setMaxResults(1)
                        .getResultList())
                .map(list -> list.isEmpty() ? null : list.get(0));
    }
}
