package io.imprint.intake.messaging;

import io.imprint.intake.service.IntakeEvents;
import io.imprint.intake.service.IntakeEvents.Pending;
import io.imprint.service.Await;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * Sends the outbox's events (order changes, station revocations) to their topics, signed with csr-intake's
 * identity (audit logs them from nobody else), and takes each out only once the broker has it. A crash in
 * between sends it again under the same request id, which audit logs once.
 */
@ApplicationScoped
public class IntakeEventPublisher {
    private static final Logger LOG = Logger.getLogger(IntakeEventPublisher.class);
    private static final int BATCH = 100;

    private final IntakeEvents outbox;
    private final IntakeEventSender sender;

    public IntakeEventPublisher(IntakeEvents outbox, IntakeEventSender sender) {
        this.outbox = outbox;
        this.sender = sender;
    }

    @Scheduled(
            every = "${imprint.intake.event-interval:1s}",
            delayed = "5s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void publishPending() {
        List<Pending> pending;
        try {
            pending = Await.result(() -> outbox.unpublished(BATCH));
        } catch (RuntimeException e) {
            // The database is away (or the service is stopping): the next round takes them.
            LOG.warnf("intake events not published yet: %s", e.getMessage());
            return;
        }
        for (Pending event : pending) {
            try {
                sender.send(event);
                Await.result(() -> outbox.published(event.event()));
            } catch (RuntimeException e) {
                // The broker or the database is away, or the channel is not wired yet at start: the event stays
                // in the outbox for a later round.
                LOG.warnf("event %s not published yet: %s", event.event().requestId(), e.getMessage());
                return;
            }
        }
    }
}
