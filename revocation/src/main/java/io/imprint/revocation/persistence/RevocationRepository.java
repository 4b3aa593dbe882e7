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
    /** CRL requests in one relay batch: each may carry about 8,000 entries (up to 1 MB). */
    private static final int CRL_REQUESTS_PER_BATCH = 8;

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
            String orderId,
            String crlScope) {}

    /**
     * Records serials not yet recorded, in one statement; one already there (a replay) is left as it is. A CRL
     * scope seen for the first time is recorded and marked due, so its first CRL is asked for at once.
     */
    public Uni<Integer> recordIssued(List<IssuedSerial> serials) {
        return Panache.getSession()
                .chain(s -> s.createNativeQuery("INSERT INTO revocation.issued_certificate"
                                + " (serial_number, issuer, device_id, request_id, issued_at, factory_id, station_id,"
                                + " order_id, crl_scope)"
                                + " SELECT serial, issuer, device, request, CAST(issued AS timestamptz), factory, station,"
                                + " ord, scope FROM unnest(CAST(:serials AS text[]), CAST(:issuers AS text[]),"
                                + " CAST(:devices AS text[]), CAST(:requests AS text[]), CAST(:issued AS text[]),"
                                + " CAST(:factories AS text[]), CAST(:stations AS text[]), CAST(:orders AS text[]),"
                                + " CAST(:scopes AS text[]))"
                                + " AS i (serial, issuer, device, request, issued, factory, station, ord, scope)"
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
                        .setParameter("scopes", column(serials, IssuedSerial::crlScope))
                        .executeUpdate()
                        .chain(recorded -> s.createNativeQuery("WITH added AS (INSERT INTO revocation.crl_scope"
                                        + " (issuer, distribution_point) SELECT DISTINCT issuer, scope"
                                        + " FROM unnest(CAST(:issuers AS text[]), CAST(:scopes AS text[])) AS i (issuer, scope)"
                                        + " ON CONFLICT DO NOTHING RETURNING issuer, distribution_point)"
                                        + " INSERT INTO revocation.crl_due (issuer, distribution_point, since)"
                                        + " SELECT issuer, distribution_point, now() FROM added ON CONFLICT DO NOTHING")
                                .setParameter("issuers", column(serials, IssuedSerial::issuer))
                                .setParameter("scopes", column(serials, IssuedSerial::crlScope))
                                .executeUpdate()
                                .replaceWith(recorded)));
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

    /** The revocation kept under {@code requestId}, or null. */
    public Uni<RevokedCertificateEntity> revokedByRequest(String requestId) {
        return Panache.getSession()
                .chain(s -> s.createQuery(
                                "FROM RevokedCertificateEntity WHERE requestId = :id", RevokedCertificateEntity.class)
                        .setParameter("id", requestId)
                        .getSingleResultOrNull());
    }

    /**
     * A revocation as a CRL lists it.
     *
     * @param scope the CRL distribution point of the certificate; '' for none
     * @param seq   its place in the order CRLs see revocations in
     */
    public record CrlRevocation(String serial, Instant revokedAt, String reason, String scope, long seq) {}

    /**
     * The revocations of certificates this CA (by subject name) issued, numbered above {@code after}: of every
     * certificate when {@code everyScope}, else of those whose distribution point is in {@code scopes}.
     */
    public Uni<List<CrlRevocation>> revokedFor(
            String issuer, Collection<String> scopes, boolean everyScope, long after) {
        String sql = "SELECT r.serial_number, r.revoked_at, r.reason, i.crl_scope, r.seq"
                + " FROM revocation.revoked_certificate r"
                + " JOIN revocation.issued_certificate i ON i.serial_number = r.serial_number"
                + " WHERE i.issuer = :issuer AND r.seq > :after"
                + (everyScope ? "" : " AND i.crl_scope = ANY(CAST(:scopes AS text[]))")
                + " ORDER BY r.seq";
        return Panache.getSession().chain(s -> {
            var query = s.createNativeQuery(sql, Object[].class)
                    .setParameter("issuer", issuer)
                    .setParameter("after", after);
            if (!everyScope) {
                query.setParameter("scopes", scopes.toArray(String[]::new));
            }
            return query.getResultList()
                    .map(rows -> rows.stream()
                            .map(r -> new CrlRevocation(
                                    (String) r[0],
                                    instant(r[1]),
                                    (String) r[2],
                                    (String) r[3],
                                    ((Number) r[4]).longValue()))
                            .toList());
        });
    }

    private static Instant instant(Object value) {
        if (value instanceof java.time.OffsetDateTime time) {
            return time.toInstant();
        }
        if (value instanceof java.time.Instant instant) {
            return instant;
        }
        return ((java.sql.Timestamp) value).toInstant();
    }

    /** The highest revocation number handed out; under the exclusive CRL lock, every one up to it is committed. */
    public Uni<Long> lastRevocationNumber() {
        return Panache.getSession()
                .chain(s -> s.createNativeQuery(
                                "SELECT CASE WHEN is_called THEN last_value ELSE 0 END FROM revocation.revocation_seq",
                                Long.class)
                        .getSingleResult());
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

    /**
     * Marks the CRLs that must list a revocation of a certificate of {@code issuer} in {@code scope}: its partition,
     * and the whole CA's CRL where the CA has one. A mark already there stays as it is.
     */
    public Uni<Void> markCrlDue(String issuer, String scope) {
        return Panache.getSession()
                .chain(s -> s.createNativeQuery("INSERT INTO revocation.crl_due (issuer, distribution_point, since)"
                                + " SELECT issuer, distribution_point, now() FROM revocation.crl_scope"
                                + " WHERE issuer = :issuer AND distribution_point IN (:scope, '')"
                                + " ON CONFLICT (issuer, distribution_point) DO NOTHING")
                        .setParameter("issuer", issuer)
                        .setParameter("scope", scope)
                        .executeUpdate())
                .replaceWithVoid();
    }

    /** A CRL scope of a CA: its issuer's name and distribution point ('' for the whole CA). */
    public record Scope(String issuer, String distributionPoint) {}

    /** The scopes of this CA marked since their last request. */
    public Uni<List<String>> markedScopes(String issuer) {
        return distributionPoints("revocation.crl_due", issuer);
    }

    /** Whether any scope is marked. */
    public Uni<Boolean> anyCrlDue() {
        return Panache.getSession()
                .chain(s -> s.createNativeQuery("SELECT EXISTS (SELECT 1 FROM revocation.crl_due)", Boolean.class)
                        .getSingleResult());
    }

    /** Clears up to {@code limit} marks and says which scopes they marked. */
    public Uni<List<Scope>> takeCrlDue(int limit) {
        return Panache.getSession()
                .chain(s -> s.createNativeQuery(
                                "DELETE FROM revocation.crl_due WHERE ctid IN (SELECT ctid FROM revocation.crl_due"
                                        + " ORDER BY issuer, distribution_point LIMIT :limit)"
                                        + " RETURNING issuer, distribution_point",
                                Object[].class)
                        .setParameter("limit", limit)
                        .getResultList())
                .map(rows -> rows.stream()
                        .map(r -> new Scope((String) r[0], (String) r[1]))
                        .toList());
    }

    /** Every scope this CA has issued into. */
    public Uni<List<String>> scopes(String issuer) {
        return distributionPoints("revocation.crl_scope", issuer);
    }

    /** The distribution points a table (crl_due, crl_scope: a constant, never input) holds for one issuer. */
    private static Uni<List<String>> distributionPoints(String table, String issuer) {
        return Panache.getSession()
                .chain(s -> s.createNativeQuery(
                                "SELECT distribution_point FROM " + table + " WHERE issuer = :issuer", String.class)
                        .setParameter("issuer", issuer)
                        .getResultList());
    }

    /**
     * Events not yet acknowledged by the broker: a few CRL requests first, then the rest, each kind oldest first.
     * Each topic keeps its order; a CRL request never waits behind a bulk job's backlog of {@code cert.revoked},
     * and a batch never holds more than a few of them (a regeneration of every shard is hundreds of megabytes).
     */
    public Uni<List<OutboxEventEntity>> outbox(int limit) {
        return outbox("eventType = :crl", Math.min(limit, CRL_REQUESTS_PER_BATCH))
                .chain(crls -> crls.size() >= limit
                        ? Uni.createFrom().item(crls)
                        : outbox("eventType <> :crl", limit - crls.size()).map(rest -> {
                            List<OutboxEventEntity> all = new java.util.ArrayList<>(crls);
                            all.addAll(rest);
                            return all;
                        }));
    }

    private static Uni<List<OutboxEventEntity>> outbox(String condition, int limit) {
        return Panache.getSession()
                .chain(s -> s.createQuery(
                                "FROM OutboxEventEntity WHERE " + condition + " ORDER BY id", OutboxEventEntity.class)
                        .setParameter("crl", "CRL_SIGN_REQUESTED")
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

    /** When a CRL of each scope of this CA was last asked for, by distribution point. */
    public Uni<java.util.Map<String, Instant>> lastCrlRequests(String issuer) {
        return Panache.getSession()
                .chain(s -> s.createQuery(
                                "SELECT distributionPoint, max(requestedAt) FROM CrlRequestEntity WHERE issuer = :issuer"
                                        + " GROUP BY distributionPoint",
                                Object[].class)
                        .setParameter("issuer", issuer)
                        .getResultList())
                .map(rows -> {
                    java.util.Map<String, Instant> last = new java.util.HashMap<>();
                    rows.forEach(r -> last.put((String) r[0], (Instant) r[1]));
                    return last;
                });
    }

    public Uni<CrlRequestEntity> crlRequest(long crlNumber) {
        return Panache.getSession().chain(s -> s.find(CrlRequestEntity.class, crlNumber));
    }

    /**
     * The newest full and delta CRL of one scope, as much as scheduling needs (not its bytes).
     *
     * @param hasDeltas for a full CRL, whether it names delta CRLs (Freshest CRL)
     */
    public record CrlSummary(
            String distributionPoint,
            boolean delta,
            long crlNumber,
            Instant thisUpdate,
            Instant nextUpdate,
            boolean hasDeltas) {}

    /** The newest full CRL and the newest delta CRL of each scope signed by the CA key with this id. */
    public Uni<List<CrlSummary>> newestCrls(String issuerKeyId) {
        return Panache.getSession()
                .chain(s -> s.createNativeQuery(
                                "SELECT DISTINCT ON (distribution_point, delta_base IS NULL) distribution_point,"
                                        + " delta_base IS NOT NULL, crl_number, this_update, next_update, has_deltas"
                                        + " FROM revocation.crl WHERE issuer_key_id = :key"
                                        + " ORDER BY distribution_point, delta_base IS NULL, crl_number DESC",
                                Object[].class)
                        .setParameter("key", issuerKeyId)
                        .getResultList())
                .map(rows -> rows.stream()
                        .map(r -> new CrlSummary(
                                (String) r[0],
                                (Boolean) r[1],
                                ((Number) r[2]).longValue(),
                                instant(r[3]),
                                instant(r[4]),
                                (Boolean) r[5]))
                        .toList());
    }

    /**
     * The newest CRL signed by the CA key with this id for a shard (null: the whole CA's CRL), full or delta; null
     * when there is none.
     */
    public Uni<CrlEntity> latestCrl(String issuerKeyId, Integer shard, boolean delta) {
        String where = "issuerKeyId = :key AND " + (shard == null ? "distributionPoint = ''" : "shard = :shard")
                + " AND deltaBase IS " + (delta ? "NOT NULL" : "NULL");
        return Panache.getSession()
                .chain(s -> {
                    var query = s.createQuery(
                                    "FROM CrlEntity WHERE " + where + " ORDER BY crlNumber DESC", CrlEntity.class)
                            .setParameter("key", issuerKeyId);
                    if (shard != null) {
                        query.setParameter("shard", shard);
                    }
                    return query.setMaxResults(1).getResultList();
                })
                .map(list -> list.isEmpty() ? null : list.get(0));
    }

    /** The newest CRL of this scope and kind signed by the CA key with this id, or null. */
    public Uni<CrlEntity> latestCrl(String issuerKeyId, String distributionPoint, boolean delta) {
        return Panache.getSession()
                .chain(s -> s.createQuery(
                                "FROM CrlEntity WHERE issuerKeyId = :key AND distributionPoint = :point AND deltaBase IS "
                                        + (delta ? "NOT NULL" : "NULL") + " ORDER BY crlNumber DESC",
                                CrlEntity.class)
                        .setParameter("key", issuerKeyId)
                        .setParameter("point", distributionPoint)
                        .setMaxResults(1)
                        .getResultList())
                .map(list -> list.isEmpty() ? null : list.get(0));
    }
}
