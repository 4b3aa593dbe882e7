package io.imprint.revocation.service;

import io.imprint.contracts.EventCodec;
import io.imprint.contracts.EventType;
import io.imprint.contracts.events.ImprintEvent;
import io.imprint.revocation.persistence.OutboxEventEntity;
import io.imprint.revocation.persistence.RevocationRepository;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.List;

/**
 * revocation's transactional outbox: {@code cert.revoked} and {@code crl.sign-requested} are written in the
 * transaction of the change they announce and sent by the relay afterwards, so a crash between the commit and the
 * send delays an event, never loses it. A commit that added work wakes the relay, which sends it within
 * {@code outbox-interval} instead of at its next sweep.
 */
@ApplicationScoped
public class RevocationOutbox {
    private final RevocationRepository store;
    private volatile Runnable onCommit = () -> {};

    public RevocationOutbox(RevocationRepository store) {
        this.store = store;
    }

    /**
     * An event to send, exactly as committed.
     *
     * @param id    its place in the outbox
     * @param value the event's JSON, as committed: the bytes sent and signed
     */
    @SuppressWarnings("ArrayRecordComponent") // never changed once read
    public record Pending(long id, EventType type, String key, byte[] value) {}

    /**
     * Largest event the outbox takes: what the broker accepts by default (1 MB a record), less room for the
     * headers. A larger one could never be sent, and would hold back every event committed after it.
     */
    static final int MAX_EVENT_BYTES = 1_000_000 - 32_768;

    /** An event too large for one Kafka record. */
    static final class TooLarge extends IllegalStateException {
        private static final long serialVersionUID = 1L;

        TooLarge(EventType type, int bytes) {
            super(type.ceType() + " of " + bytes + " bytes is larger than the " + MAX_EVENT_BYTES
                    + " bytes one record carries");
        }
    }

    /** Adds an event in the caller's transaction; fails with {@link TooLarge} for one no record can carry. */
    Uni<Void> add(ImprintEvent event, String key) {
        byte[] payload = EventCodec.encode(event);
        if (payload.length > MAX_EVENT_BYTES) {
            return Uni.createFrom().failure(new TooLarge(EventType.of(event), payload.length));
        }
        OutboxEventEntity row = new OutboxEventEntity();
        row.eventType = EventType.of(event).name();
        row.eventKey = key;
        row.payload = payload;
        row.createdAt = Instant.now();
        return store.persist(row);
    }

    /** What to do when a commit left work (events to send or a CRL to ask for): the relay's wake-up. */
    public void onCommit(Runnable wake) {
        this.onCommit = wake;
    }

    /** Says a commit left work for the relay. */
    void committed() {
        onCommit.run();
    }

    public Uni<List<Pending>> pending(int limit) {
        return Panache.withSession(() -> store.outbox(limit))
                .map(rows -> rows.stream()
                        .map(r -> new Pending(r.id, EventType.valueOf(r.eventType), r.eventKey, r.payload))
                        .toList());
    }

    /** Removes what the broker acknowledged. */
    public Uni<Integer> sent(List<Long> ids) {
        return Panache.withTransaction(() -> store.deleteFromOutbox(ids));
    }
}
