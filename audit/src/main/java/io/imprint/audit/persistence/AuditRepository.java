package io.imprint.audit.persistence;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.PanacheRepository;
import io.quarkus.panache.common.Sort;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;

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

    public Uni<AuditRecordEntity> last() {
        return find("ORDER BY id DESC").firstResult();
    }

    public Uni<Boolean> exists(String eventType, String requestId) {
        return count("eventType = ?1 AND requestId = ?2", eventType, requestId).map(n -> n > 0);
    }

    public Uni<AuditRecordEntity> issuance(String serialNumber) {
        return find("eventType = ?1 AND serialNumber = ?2", "imprint.cert.issued", serialNumber)
                .firstResult();
    }

    public Uni<List<AuditRecordEntity>> page(long afterId, int size) {
        return find("id > ?1", Sort.by("id"), afterId).page(0, size).list();
    }

    /** The leaf hashes of the first {@code size} records, in log order. */
    public Uni<List<String>> leafHashes(long size) {
        return Panache.getSession()
                .chain(session -> session.createQuery(
                                "SELECT leafHash FROM AuditRecordEntity WHERE leafIndex < :size ORDER BY leafIndex",
                                String.class)
                        .setParameter("size", size)
                        .getResultList());
    }

    public Uni<Long> countType(String eventType) {
        return count("eventType", eventType);
    }
}
