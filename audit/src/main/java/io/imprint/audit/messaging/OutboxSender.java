package io.imprint.audit.messaging;

import io.imprint.audit.persistence.EventOutboxEntity;
import io.imprint.audit.service.AuditService;
import io.imprint.contracts.EventType;
import io.imprint.service.EventMessages;
import io.smallrye.reactive.messaging.MutinyEmitter;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import org.eclipse.microprofile.reactive.messaging.Channel;

/**
 * Sends one outbox event to its type's topic, exactly as logged. A bean of its own, so the scheduled publisher
 * can run before the channel is wired at start: this is created on first use, inside the publisher's error
 * handling.
 */
@ApplicationScoped
public class OutboxSender {
    private final MutinyEmitter<byte[]> out;

    public OutboxSender(@Channel("events-out") MutinyEmitter<byte[]> out) {
        this.out = out;
    }

    /** Returns once the broker has it. */
    public void send(EventOutboxEntity event) {
        out.sendMessageAndAwait(EventMessages.encoded(
                EventType.ofCeType(event.eventType),
                event.payload.getBytes(StandardCharsets.UTF_8),
                event.eventKey,
                AuditService.SERVICE));
    }
}
