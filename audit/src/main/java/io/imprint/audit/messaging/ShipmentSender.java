package io.imprint.audit.messaging;

import io.imprint.audit.persistence.ShipmentOutboxEntity;
import io.imprint.audit.service.AuditService;
import io.imprint.contracts.EventType;
import io.imprint.service.EventMessages;
import io.smallrye.reactive.messaging.MutinyEmitter;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import org.eclipse.microprofile.reactive.messaging.Channel;

/**
 * Sends one uploaded shipment, keyed by its order as the ERP's are. A bean of its own, so the scheduled publisher
 * can run before the channel is wired at start: this is created on first use, inside the publisher's error
 * handling.
 */
@ApplicationScoped
public class ShipmentSender {
    private final MutinyEmitter<byte[]> out;

    public ShipmentSender(@Channel("shipments-out") MutinyEmitter<byte[]> out) {
        this.out = out;
    }

    /** Returns once the broker has it. */
    public void send(ShipmentOutboxEntity shipment) {
        out.sendMessageAndAwait(EventMessages.encoded(
                EventType.SHIPMENT_RECORDED,
                shipment.payload.getBytes(StandardCharsets.UTF_8),
                shipment.orderId,
                AuditService.SERVICE));
    }
}
