package io.imprint.audit.persistence;

import io.imprint.audit.service.AuditSearch;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.PanacheRepository;
import io.quarkus.panache.common.Sort;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

@ApplicationScoped
public class AuditRepository implements PanacheRepository<AuditRecordEntity> {
    /** Any fixed number: the advisory lock that serialises appends to the chain across audit instances. */
    private static final long CHAIN_LOCK = 0x1A0D17L;

    /** Holds the chain lock until the surrounding transaction ends. */
    public Uni<Void> lockChain() {
        return Panache.getSession()
                .chain(session -> session.createNativeQuery(
                                "SELECT 1 FROM (SELECT pg_advisory_xact_lock(" + CHAIN_LOCK + ")) AS locked")
                        .getSingleResult())
                .replaceWithVoid();
    }

    /** {@code count} ids from the log's sequence, in increasing order, in one round trip. */
    public Uni<List<Long>> nextIds(int count) {
        return Panache.getSession()
                .chain(session -> session.createNativeQuery(
                                "SELECT nextval('audit.audit_record_seq') FROM generate_series(1, :count)", Long.class)
                        .setParameter("count", count)
                        .getResultList())
                .map(ids -> ids.stream().sorted().toList());
    }

    public Uni<AuditRecordEntity> last() {
        return find("ORDER BY id DESC").firstResult();
    }

    /**
     * Which of these events are logged already, each as its event type, a newline and the request id. Asked by
     * type and request id both, so the (event type, request id) index answers it: by request id alone it would
     * read the whole log on every poll.
     */
    public Uni<Set<String>> logged(Collection<String> eventTypes, Collection<String> requestIds) {
        return Panache.getSession()
                .chain(session -> session.createQuery(
                                "SELECT eventType || '\n' || requestId FROM AuditRecordEntity"
                                        + " WHERE eventType IN :types AND requestId IN :ids",
                                String.class)
                        .setParameter("types", eventTypes)
                        .setParameter("ids", requestIds)
                        .getResultList())
                .map(HashSet::new);
    }

    /** Which of these serials are logged as issued already. */
    public Uni<Set<String>> issuedSerials(Collection<String> serials) {
        if (serials.isEmpty()) {
            return Uni.createFrom().item(new HashSet<>());
        }
        return Panache.getSession()
                .chain(session -> session.createQuery(
                                "SELECT serialNumber FROM AuditRecordEntity"
                                        + " WHERE eventType = 'imprint.cert.issued' AND serialNumber IN :serials",
                                String.class)
                        .setParameter("serials", serials)
                        .getResultList())
                .map(HashSet::new);
    }

    public Uni<AuditRecordEntity> issuance(String serialNumber) {
        return find("eventType = ?1 AND serialNumber = ?2", "imprint.cert.issued", serialNumber)
                .firstResult();
    }

    public Uni<List<AuditRecordEntity>> page(long afterId, int size) {
        return find("id > ?1", Sort.by("id"), afterId).page(0, size).list();
    }

    /** The leaf hashes of the first {@code size} records, in log order. */
    /** The leaf hashes from leaf {@code from} (inclusive) to {@code to} (exclusive), in order, at most {@code limit}. */
    public Uni<List<String>> leafHashes(long from, long to, int limit) {
        return Panache.getSession()
                .chain(session -> session.createQuery(
                                "SELECT leafHash FROM AuditRecordEntity WHERE leafIndex >= :from AND leafIndex < :to"
                                        + " ORDER BY leafIndex",
                                String.class)
                        .setParameter("from", from)
                        .setParameter("to", to)
                        .setMaxResults(limit)
                        .getResultList());
    }

    /** Up to {@code limit} records matching {@code query} after leaf {@code after}, in log order. */
    public Uni<List<AuditRecordEntity>> search(AuditSearch.Filter filter, long after, int limit) {
        Map<String, Object> parameters = new HashMap<>();
        parameters.put("after", after);
        return find(where(filter, parameters) + " ORDER BY leafIndex", parameters)
                .page(0, limit)
                .list();
    }

    /** The HQL condition after {@code leafIndex > :after}, with its parameters. */
    private static String where(AuditSearch.Filter filter, Map<String, Object> parameters) {
        StringBuilder where = new StringBuilder("leafIndex > :after");
        Map<String, Object> criteria = new LinkedHashMap<>();
        criteria.put("serialNumber", filter.serialNumber());
        criteria.put("deviceId", filter.deviceId());
        criteria.put("factoryId", filter.factoryId());
        criteria.put("stationId", filter.stationId());
        criteria.put("orderId", filter.orderId());
        criteria.put("eventType", filter.eventType());
        criteria.forEach((field, value) -> {
            if (value != null) {
                where.append(" AND ").append(field).append(" = :").append(field);
                parameters.put(field, value);
            }
        });
        if (filter.from() != null) {
            where.append(" AND occurredAt >= :from");
            parameters.put("from", filter.from());
        }
        if (filter.to() != null) {
            where.append(" AND occurredAt < :to");
            parameters.put("to", filter.to());
        }
        return where.toString();
    }

    public Uni<Long> countType(String eventType) {
        return count("eventType", eventType);
    }
}
