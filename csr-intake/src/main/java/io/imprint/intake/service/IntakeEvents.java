package io.imprint.intake.service;

import io.imprint.contracts.EventCodec;
import io.imprint.contracts.EventType;
import io.imprint.contracts.events.ImprintEvent;
import io.imprint.intake.persistence.IntakeStore;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;

/** The outbox of what csr-intake tells the other services: order changes and station revocations. */
@ApplicationScoped
public class IntakeEvents {
    private final IntakeStore store;

    public IntakeEvents(IntakeStore store) {
        this.store = store;
    }

    /** An event committed and not yet on its topic, with its record key. */
    public record Pending(ImprintEvent event, String key) {}

    /** Events committed and not yet on their topics, oldest first (at most {@code limit}). */
    public Uni<List<Pending>> unpublished(int limit) {
        return store.unpublishedEvents(limit)
                .map(rows -> rows.stream()
                        .map(row -> new Pending(
                                EventCodec.decode(
                                        row.payload.getBytes(StandardCharsets.UTF_8),
                                        EventType.ofCeType(row.eventType).recordType()),
                                row.eventKey))
                        .toList());
    }

    /** The broker has the event: it leaves the outbox. */
    public Uni<Void> published(ImprintEvent event) {
        return store.markEventPublished(event.requestId(), Instant.now());
    }
}
