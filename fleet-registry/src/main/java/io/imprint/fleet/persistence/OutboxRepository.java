package io.imprint.fleet.persistence;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.List;

@ApplicationScoped
public class OutboxRepository implements PanacheRepositoryBase<OutboxEntity, Long> {
    /** Events not yet on their topic, in the order they were committed. */
    public Uni<List<OutboxEntity>> unpublished(int limit) {
        return find("publishedAt IS NULL ORDER BY id").page(0, limit).list();
    }

    public Uni<Integer> markPublished(List<Long> ids, Instant at) {
        return update("publishedAt = ?1 WHERE id IN ?2 AND publishedAt IS NULL", at, ids);
    }
}
