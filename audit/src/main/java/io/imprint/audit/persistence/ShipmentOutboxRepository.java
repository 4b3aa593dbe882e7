package io.imprint.audit.persistence;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.List;

@ApplicationScoped
public class ShipmentOutboxRepository implements PanacheRepositoryBase<ShipmentOutboxEntity, String> {
    /** Up to {@code limit} shipments not sent yet, oldest first. */
    public Uni<List<ShipmentOutboxEntity>> unpublished(int limit) {
        return find("publishedAt IS NULL ORDER BY createdAt, shipmentId")
                .page(0, limit)
                .list();
    }

    /** Marks it sent; only this column, as the role audit runs as may update nothing else. */
    public Uni<Integer> published(String shipmentId, Instant at) {
        return update("publishedAt = ?1 WHERE shipmentId = ?2 AND publishedAt IS NULL", at, shipmentId);
    }
}
