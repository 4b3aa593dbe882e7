package io.imprint.intake.messaging;

import io.imprint.contracts.events.OrderChangedV1;
import io.imprint.intake.service.OrderService;
import io.imprint.service.Await;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * Sends the order changes of the outbox to {@code imprint.order.changed.v1}, signed with csr-intake's identity
 * (audit logs nothing else as an order), and takes each out only once the broker has it. A crash in between
 * sends it again under the same request id, which audit logs once.
 */
@ApplicationScoped
public class OrderEventPublisher {
    private static final Logger LOG = Logger.getLogger(OrderEventPublisher.class);
    private static final int BATCH = 100;

    private final OrderService orders;
    private final OrderEventSender sender;

    public OrderEventPublisher(OrderService orders, OrderEventSender sender) {
        this.orders = orders;
        this.sender = sender;
    }

    @Scheduled(
            every = "${imprint.intake.order-event-interval:1s}",
            delayed = "5s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void publishPending() {
        List<OrderChangedV1> pending;
        try {
            pending = Await.result(() -> orders.unpublishedChanges(BATCH));
        } catch (RuntimeException e) {
            // The database is away (or the service is stopping): the next round takes them.
            LOG.warnf("order changes not published yet: %s", e.getMessage());
            return;
        }
        for (OrderChangedV1 change : pending) {
            try {
                sender.send(change);
                Await.result(() -> orders.published(change));
            } catch (RuntimeException e) {
                // The broker or the database is away, or the channel is not wired yet at start: the change stays
                // in the outbox for a later round.
                LOG.warnf("order change %s not published yet: %s", change.requestId(), e.getMessage());
                return;
            }
        }
    }
}
