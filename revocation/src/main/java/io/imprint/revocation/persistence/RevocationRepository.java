package io.imprint.revocation.persistence;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.Collection;
import java.util.List;

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

    public Uni<RevokedCertificateEntity> revoked(String serial) {
        return Panache.getSession().chain(s -> s.find(RevokedCertificateEntity.class, serial));
    }

    public Uni<List<IssuedCertificateEntity>> issued(Collection<String> serials) {
        return Panache.getSession()
                .chain(s -> s.createQuery(
                                "FROM IssuedCertificateEntity WHERE serialNumber IN (:serials)",
                                IssuedCertificateEntity.class)
                        .setParameter("serials", serials)
                        .getResultList());
    }

    public Uni<List<RevokedCertificateEntity>> revoked(Collection<String> serials) {
        return Panache.getSession()
                .chain(s -> s.createQuery(
                                "FROM RevokedCertificateEntity WHERE serialNumber IN (:serials)",
                                RevokedCertificateEntity.class)
                        .setParameter("serials", serials)
                        .getResultList());
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

    /** Holds the CRL lock until the surrounding transaction ends. */
    public Uni<Void> lockCrls() {
        return Panache.getSession()
                .chain(s -> s.createNativeQuery(
                                "SELECT 1 FROM (SELECT pg_advisory_xact_lock(" + CRL_LOCK + ")) AS locked")
                        .getSingleResult())
                .replaceWithVoid();
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
