package io.imprint.fleet.messaging;

import io.imprint.fleet.service.OutboxEvents;
import io.imprint.fleet.service.OutboxEvents.Pending;
import io.imprint.service.Await;
import io.imprint.service.EventMessages;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.OnOverflow;
import org.jboss.logging.Logger;

/**
 * Sends the outbox's events ({@code device.added}, {@code device.state}) in commit order, a batch at a time, and
 * marks a batch sent only once the broker has all of it. A crash in between sends the batch again: readers
 * take the same requestId (and, for states, the same version) as the same event.
 */
@ApplicationScoped
public class OutboxPublisher {
    private static final Logger LOG = Logger.getLogger(OutboxPublisher.class);
    private static final int BATCH = 500;
    private static final String SERVICE = "fleet-registry";
    private final OutboxEvents outbox;
    private final MutinyEmitter<byte[]> events;

    public OutboxPublisher(
            OutboxEvents outbox,
            @Channel("events-out") @OnOverflow(value = OnOverflow.Strategy.BUFFER, bufferSize = 2 * BATCH)
                    MutinyEmitter<byte[]> events) {
        this.outbox = outbox;
        this.events = events;
    }

    @Scheduled(
            every = "${imprint.fleet.outbox-interval:200ms}",
            delayed = "5s", // the outgoing channel connects after the scheduler starts
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void publishPending() {
        try {
            List<Pending> batch;
            do {
                batch = Await.result(() -> outbox.pending(BATCH));
                if (!batch.isEmpty()) {
                    send(batch);
                }
            } while (batch.size() == BATCH);
        } catch (RuntimeException e) {
            // The broker or the database is away: what was not marked goes out on a later round.
            LOG.warnf("fleet events not published yet: %s", e.getMessage());
        }
    }

    private void send(List<Pending> batch) {
        // One producer keeps the order of sends per partition, so a device's states arrive in version order.
        List<Uni<Void>> sends = batch.stream()
                .map(p -> events.sendMessage(
                        EventMessages.encoded(p.type(), p.value().getBytes(StandardCharsets.UTF_8), p.key(), SERVICE)))
                .toList();
        Await.result(() -> Uni.join().all(sends).andFailFast().replaceWithVoid());
        Await.result(() -> outbox.published(batch.stream().map(Pending::id).toList()));
    }
}
