package io.imprint.audit.messaging;

import io.imprint.audit.persistence.ShipmentOutboxEntity;
import io.imprint.audit.service.ReconciliationService;
import io.imprint.service.Await;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * Sends the shipments of uploaded warehouse files to {@code imprint.shipment.recorded.v1}, from their outbox,
 * and marks each sent only once the broker has it. Audit reads them back as the same shipments it logged.
 */
@ApplicationScoped
public class ShipmentPublisher {
    private static final Logger LOG = Logger.getLogger(ShipmentPublisher.class);
    private static final int BATCH = 100;
    private final ReconciliationService reconciliation;
    private final ShipmentSender sender;

    public ShipmentPublisher(ReconciliationService reconciliation, ShipmentSender sender) {
        this.reconciliation = reconciliation;
        this.sender = sender;
    }

    @Scheduled(
            every = "${imprint.audit.shipment-publish-interval:1s}",
            delayed = "5s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void publishPending() {
        try {
            List<ShipmentOutboxEntity> pending;
            do {
                pending = Await.result(() -> reconciliation.unsent(BATCH));
                for (ShipmentOutboxEntity shipment : pending) {
                    sender.send(shipment);
                    Await.result(() -> reconciliation.sent(shipment.shipmentId));
                }
            } while (pending.size() == BATCH);
        } catch (RuntimeException e) {
            // The broker or the database is away, or the channel is not wired yet at start: what was not marked
            // goes out on a later round.
            LOG.warnf("uploaded shipments not published yet: %s", e.getMessage());
        }
    }
}
