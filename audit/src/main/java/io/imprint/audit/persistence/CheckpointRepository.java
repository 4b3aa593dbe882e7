package io.imprint.audit.persistence;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

@ApplicationScoped
public class CheckpointRepository implements PanacheRepositoryBase<CheckpointEntity, Long> {
    public Uni<CheckpointEntity> latest() {
        return find("ORDER BY treeSize DESC").firstResult();
    }

    /** The newest checkpoint no larger than {@code size}. */
    public Uni<CheckpointEntity> latestUpTo(long size) {
        return find("treeSize <= ?1 ORDER BY treeSize DESC", size).firstResult();
    }
}
