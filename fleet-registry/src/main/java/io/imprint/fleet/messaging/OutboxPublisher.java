package io.imprint.fleet.messaging;

import io.imprint.fleet.service.OutboxEvents;
import io.imprint.fleet.service.OutboxEvents.Pending;
import io.imprint.service.Await;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * Sends the outbox's events ({@code device.added}, {@code device.state}) in commit order, a batch at a time, and
 * marks a batch sent only once the broker has all of it. A crash in between sends the batch again: readers
 * take the same requestId (and, for states, the same version) as the same event.
 */
@ApplicationScoped
public class OutboxPublisher {
    private static final Logger LOG = Logger.getLogger(OutboxPublisher.class);
    private final OutboxEvents outbox;
    private final OutboxSender sender;

    public OutboxPublisher(OutboxEvents outbox, OutboxSender sender) {
        this.outbox = outbox;
        this.sender = sender;
    }

    @Scheduled(
            every = "${imprint.fleet.outbox-interval:200ms}",
            delayed = "5s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void publishPending() {
        try {
            List<Pending> batch;
            do {
                batch = Await.result(() -> outbox.pending(OutboxSender.BATCH));
                if (!batch.isEmpty()) {
                    sender.sendAll(batch);
                    List<Long> ids = batch.stream().map(Pending::id).toList();
                    Await.result(() -> outbox.published(ids));
                }
            } while (batch.size() == OutboxSender.BATCH);
        } catch (RuntimeException e) {
            // The broker or the database is away, or the channel is not wired yet at start: what was not marked
            // goes out on a later round.
            LOG.warnf("fleet events not published yet: %s", e.getMessage());
        }
    }
}
