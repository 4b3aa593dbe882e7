package io.imprint.audit.persistence;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.List;

@ApplicationScoped
public class EventOutboxRepository implements PanacheRepositoryBase<EventOutboxEntity, Long> {
    /** Up to {@code limit} events not sent yet, in log order. */
    public Uni<List<EventOutboxEntity>> unpublished(int limit) {
        return find("publishedAt IS NULL ORDER BY leafIndex").page(0, limit).list();
    }

    /** Marks it sent; only this column, as the role audit runs as may update nothing else. */
    public Uni<Integer> published(long leafIndex, Instant at) {
        return update("publishedAt = ?1 WHERE leafIndex = ?2 AND publishedAt IS NULL", at, leafIndex);
    }
}
