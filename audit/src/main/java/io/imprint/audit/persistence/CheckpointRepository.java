package io.imprint.audit.persistence;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

@ApplicationScoped
public class CheckpointRepository implements PanacheRepositoryBase<CheckpointEntity, Long> {
    public Uni<CheckpointEntity> latest() {
        return find("ORDER BY treeSize DESC").firstResult();
    }

    /** Checkpoints not yet on the topic, oldest first. */
    public Uni<java.util.List<CheckpointEntity>> unpublished() {
        return find("publishedAt IS NULL ORDER BY treeSize").list();
    }

    /** Marks it published; only this column, as the role audit runs as may update nothing else. */
    public Uni<Integer> markPublished(long treeSize, java.time.Instant at) {
        return update("publishedAt = ?1 WHERE treeSize = ?2 AND publishedAt IS NULL", at, treeSize);
    }
}
