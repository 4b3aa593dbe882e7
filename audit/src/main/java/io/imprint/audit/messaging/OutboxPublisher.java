package io.imprint.audit.messaging;

import io.imprint.audit.persistence.EventOutboxEntity;
import io.imprint.audit.service.AuditOutbox;
import io.imprint.service.Await;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * Sends what audit logged itself (shipments of uploaded files to {@code imprint.shipment.recorded.v1}, uploaded
 * ceremonies to {@code imprint.ceremony.sealed.v1}) from its outbox, in log order, and marks each sent only once
 * the broker has it. A crash in between sends one again under the same request id, which readers take as the
 * same event.
 */
@ApplicationScoped
public class OutboxPublisher {
    private static final Logger LOG = Logger.getLogger(OutboxPublisher.class);
    private static final int BATCH = 100;
    private final AuditOutbox outbox;
    private final OutboxSender sender;

    public OutboxPublisher(AuditOutbox outbox, OutboxSender sender) {
        this.outbox = outbox;
        this.sender = sender;
    }

    @Scheduled(
            every = "${imprint.audit.outbox-interval:1s}",
            delayed = "5s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void publishPending() {
        try {
            List<EventOutboxEntity> pending;
            do {
                pending = Await.result(() -> outbox.unsent(BATCH));
                for (EventOutboxEntity event : pending) {
                    sender.send(event);
                    Await.result(() -> outbox.sent(event.leafIndex));
                }
            } while (pending.size() == BATCH);
        } catch (RuntimeException e) {
            // The broker or the database is away, or the channel is not wired yet at start: what was not marked
            // goes out on a later round.
            LOG.warnf("audit's own events not published yet: %s", e.getMessage());
        }
    }
}
