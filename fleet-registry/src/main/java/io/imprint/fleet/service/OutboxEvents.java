package io.imprint.fleet.service;

import io.imprint.contracts.EventType;
import io.imprint.fleet.persistence.OutboxEntity;
import io.imprint.fleet.persistence.OutboxRepository;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;

/** The outbox as its publisher sees it: pending events in commit order, and marking them sent. */
@ApplicationScoped
public class OutboxEvents {
    private final OutboxRepository outbox;

    public OutboxEvents(OutboxRepository outbox) {
        this.outbox = outbox;
    }

    /**
     * An event to send, exactly as committed.
     *
     * @param id its place in the outbox
     * @param value the event's JSON, UTF-8
     */
    public record Pending(long id, String key, EventType type, String value) {}

    public Uni<List<Pending>> pending(int limit) {
        return Panache.withSession(() -> outbox.unpublished(limit))
                .map(rows -> rows.stream().map(OutboxEvents::pending).toList());
    }

    public Uni<Integer> published(List<Long> ids) {
        return Panache.withTransaction(() -> outbox.markPublished(ids, Instant.now()));
    }

    private static Pending pending(OutboxEntity row) {
        EventType type = Arrays.stream(EventType.values())
                .filter(t -> t.topic().equals(row.topic))
                .findFirst()
                .orElseThrow(() -> new IllegalStateException("the outbox holds an event for " + row.topic));
        return new Pending(row.id, row.eventKey, type, row.payload);
    }
}
