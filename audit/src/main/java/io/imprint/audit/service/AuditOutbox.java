package io.imprint.audit.service;

import io.imprint.audit.persistence.AuditRecordEntity;
import io.imprint.audit.persistence.EventOutboxEntity;
import io.imprint.audit.persistence.EventOutboxRepository;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * What audit publishes of what it logs itself, rather than consumes: the shipments of uploaded warehouse files
 * and the uploaded ceremonies. A row is written in the transaction that logs its record, and taken out once the
 * broker has it.
 */
@ApplicationScoped
public class AuditOutbox {
    private final EventOutboxRepository outbox;

    public AuditOutbox(EventOutboxRepository outbox) {
        this.outbox = outbox;
    }

    /**
     * Queues each record just logged, in the caller's transaction, keyed as {@code key} says.
     *
     * @return for {@link AuditService#appendAll(List, Function)}
     */
    Function<List<AuditRecordEntity>, Uni<Void>> queue(Function<AuditRecordEntity, String> key) {
        return logged -> {
            Instant now = Instant.now();
            List<EventOutboxEntity> rows = new ArrayList<>();
            for (AuditRecordEntity record : logged) {
                EventOutboxEntity row = new EventOutboxEntity();
                row.leafIndex = record.leafIndex;
                row.eventType = record.eventType;
                row.requestId = record.requestId;
                row.eventKey = key.apply(record);
                row.payload = record.payload;
                row.createdAt = now;
                rows.add(row);
            }
            return outbox.persist(rows);
        };
    }

    /** Events not sent yet, in log order (at most {@code limit}). */
    public Uni<List<EventOutboxEntity>> unsent(int limit) {
        return Panache.withSession(() -> outbox.unpublished(limit));
    }

    public Uni<Void> sent(long leafIndex) {
        return Panache.withTransaction(() -> outbox.published(leafIndex, Instant.now()))
                .replaceWithVoid();
    }
}
