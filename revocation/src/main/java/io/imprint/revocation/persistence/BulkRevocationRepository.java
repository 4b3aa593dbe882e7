package io.imprint.revocation.persistence;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.hibernate.reactive.mutiny.Mutiny;

/**
 * Set-based statements of bulk revocation: counting what a selector matches, and revoking it a chunk at a time
 * (the revocations and their events in one statement each, whatever the chunk's size).
 */
@ApplicationScoped
public class BulkRevocationRepository {
    /**
     * A condition on {@code issued_certificate i}, with its named parameters.
     *
     * @param sql SQL over {@code i} with {@code :name} parameters
     */
    public record Condition(String sql, Map<String, Object> parameters) {
        public static Condition order(String orderId) {
            return new Condition("i.order_id = :order", Map.of("order", orderId));
        }

        /** Certificates of the factory whose notBefore lies in [from, to). */
        public static Condition factoryWindow(String factoryId, Instant from, Instant to) {
            return new Condition(
                    "i.factory_id = :factory AND i.issued_at >= :from AND i.issued_at < :to",
                    Map.of("factory", factoryId, "from", at(from), "to", at(to)));
        }

        public static Condition station(String stationId) {
            return new Condition("i.station_id = :station", Map.of("station", stationId));
        }

        public static Condition issuer(String issuer) {
            return new Condition("i.issuer = :issuer", Map.of("issuer", issuer));
        }

        public static Condition serials(List<String> serials) {
            return new Condition(
                    "i.serial_number = ANY(CAST(:serials AS text[]))",
                    Map.of("serials", serials.toArray(String[]::new)));
        }

        /** The serials uploaded for a job. */
        public static Condition serialsOfJob(String jobId) {
            return new Condition(
                    "i.serial_number IN (SELECT s.serial_number FROM revocation.revocation_job_serial s"
                            + " WHERE s.job_id = :listJob)",
                    Map.of("listJob", jobId));
        }

        private static OffsetDateTime at(Instant instant) {
            return instant.atOffset(ZoneOffset.UTC);
        }
    }

    /** How many certificates match, and how many of them are revoked already. */
    public record Count(long selected, long alreadyRevoked) {}

    public Uni<Count> count(Condition condition) {
        return Panache.getSession()
                .chain(s -> bind(
                                s.createNativeQuery(
                                        "SELECT count(*), count(r.serial_number) FROM revocation.issued_certificate i"
                                                + " LEFT JOIN revocation.revoked_certificate r"
                                                + " ON r.serial_number = i.serial_number WHERE " + condition.sql(),
                                        Object[].class),
                                condition.parameters())
                        .getSingleResult())
                .map(row -> new Count(((Number) row[0]).longValue(), ((Number) row[1]).longValue()));
    }

    /** A certificate a chunk revoked. */
    public record Revoked(String serial, String requestId, String issuer, String deviceId) {}

    /**
     * Revokes up to {@code limit} matching certificates not revoked yet whose serial sorts after {@code after}, in
     * serial order, in one statement; returns them. A serial revoked meanwhile by someone else keeps that revocation.
     */
    public Uni<List<Revoked>> revokeChunk(
            Condition condition,
            String after,
            String reason,
            Instant at,
            String by,
            String comment,
            String jobId,
            int limit) {
        Map<String, Object> parameters = new LinkedHashMap<>(condition.parameters());
        parameters.put("after", after);
        parameters.put("reason", reason);
        parameters.put("at", at.atOffset(ZoneOffset.UTC));
        parameters.put("by", by);
        parameters.put("comment", comment == null ? "" : comment);
        parameters.put("job", jobId);
        parameters.put("limit", limit);
        String sql = "WITH picked AS (SELECT i.serial_number, i.issuer, i.device_id"
                + " FROM revocation.issued_certificate i WHERE " + condition.sql()
                + " AND i.serial_number > :after AND NOT EXISTS (SELECT 1 FROM revocation.revoked_certificate r"
                + " WHERE r.serial_number = i.serial_number) ORDER BY i.serial_number LIMIT :limit),"
                + " inserted AS (INSERT INTO revocation.revoked_certificate"
                + " (serial_number, reason, request_id, revoked_at, revoked_by, comment, job_id)"
                + " SELECT serial_number, :reason, CAST(gen_random_uuid() AS text), :at, :by,"
                + " NULLIF(:comment, ''), :job FROM picked ON CONFLICT (serial_number) DO NOTHING"
                + " RETURNING serial_number, request_id)"
                + " SELECT n.serial_number, n.request_id, p.issuer, p.device_id FROM inserted n"
                + " JOIN picked p ON p.serial_number = n.serial_number";
        return Panache.getSession()
                .chain(s -> bind(s.createNativeQuery(sql, Object[].class), parameters)
                        .getResultList())
                .map(rows -> rows.stream()
                        .map(r -> new Revoked((String) r[0], (String) r[1], (String) r[2], (String) r[3]))
                        .toList());
    }

    /**
     * Adds events to the outbox in one statement, in the given order.
     *
     * @param payloads each event's JSON
     */
    public Uni<Integer> addToOutbox(String eventType, List<String> keys, List<String> payloads, Instant at) {
        return Panache.getSession()
                .chain(s -> s.createNativeQuery("INSERT INTO revocation.outbox"
                                + " (id, event_type, event_key, payload, created_at)"
                                + " SELECT nextval('revocation.outbox_seq'), :type, k, convert_to(p, 'UTF8'), :at"
                                + " FROM unnest(CAST(:keys AS text[]), CAST(:payloads AS text[])) WITH ORDINALITY"
                                + " AS e (k, p, n) ORDER BY n")
                        .setParameter("type", eventType)
                        .setParameter("keys", keys.toArray(String[]::new))
                        .setParameter("payloads", payloads.toArray(String[]::new))
                        .setParameter("at", at.atOffset(ZoneOffset.UTC))
                        .executeUpdate());
    }

    public Uni<Integer> addJobSerials(String jobId, List<String> serials) {
        return Panache.getSession()
                .chain(s -> s.createNativeQuery("INSERT INTO revocation.revocation_job_serial (job_id, serial_number)"
                                + " SELECT :job, serial FROM unnest(CAST(:serials AS text[])) AS l (serial)"
                                + " ON CONFLICT DO NOTHING")
                        .setParameter("job", jobId)
                        .setParameter("serials", serials.toArray(String[]::new))
                        .executeUpdate());
    }

    public Uni<Integer> countRevokedByJob(String jobId, int count) {
        return Panache.getSession()
                .chain(s -> s.createNativeQuery(
                                "UPDATE revocation.revocation_job SET revoked = revoked + :count WHERE id = :job")
                        .setParameter("count", count)
                        .setParameter("job", jobId)
                        .executeUpdate());
    }

    /**
     * Marks every CRL that must list one of the job's revocations: the partition of each, and the whole CA's CRL
     * where its CA has one. A mark already there stays.
     */
    public Uni<Integer> markCrlsDueForJob(String jobId) {
        return Panache.getSession()
                .chain(s -> s.createNativeQuery("INSERT INTO revocation.crl_due (issuer, distribution_point, since)"
                                + " SELECT c.issuer, c.distribution_point, now() FROM revocation.crl_scope c"
                                + " WHERE EXISTS (SELECT 1 FROM revocation.revoked_certificate r"
                                + " JOIN revocation.issued_certificate i ON i.serial_number = r.serial_number"
                                + " WHERE r.job_id = :job AND i.issuer = c.issuer"
                                + " AND (c.distribution_point = '' OR i.crl_scope = c.distribution_point))"
                                + " ON CONFLICT (issuer, distribution_point) DO NOTHING")
                        .setParameter("job", jobId)
                        .executeUpdate());
    }

    public Uni<List<String>> runningJobs() {
        return Panache.getSession()
                .chain(s -> s.createQuery(
                                "SELECT id FROM RevocationJobEntity WHERE status = :running ORDER BY createdAt",
                                String.class)
                        .setParameter("running", RevocationJobEntity.RUNNING)
                        .getResultList());
    }

    /**
     * Moves a waiting job to {@code status} on a second operator's word, in one statement so two approvals race
     * safely; 0 when the job does not wait or {@code operator} is the one who asked for it.
     */
    public Uni<Integer> decide(String id, String operator, String status, Instant at) {
        return Panache.getSession()
                .chain(s -> s.createMutationQuery("UPDATE RevocationJobEntity SET status = :status, approvedBy = :by,"
                                + " approvedAt = :at, finishedAt = :finished"
                                + " WHERE id = :id AND status = :waiting AND requestedBy <> :by")
                        .setParameter("status", status)
                        .setParameter("by", operator)
                        .setParameter("at", at)
                        .setParameter("finished", RevocationJobEntity.REJECTED.equals(status) ? at : null)
                        .setParameter("id", id)
                        .setParameter("waiting", RevocationJobEntity.AWAITING_APPROVAL)
                        .executeUpdate());
    }

    public Uni<RevocationJobEntity> job(String id) {
        return Panache.getSession().chain(s -> s.find(RevocationJobEntity.class, id));
    }

    private static <T> Mutiny.SelectionQuery<T> bind(Mutiny.SelectionQuery<T> query, Map<String, Object> parameters) {
        parameters.forEach(query::setParameter);
        return query;
    }
}
