package io.imprint.audit.messaging;

import io.imprint.audit.service.AuditService;
import io.imprint.contracts.events.AuditCheckpointV1;
import io.imprint.service.EventMessages;
import io.smallrye.reactive.messaging.MutinyEmitter;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Channel;

/**
 * Sends one checkpoint. A bean of its own, so the scheduled publisher can run before the channel is wired at
 * start: this is created on first use, inside the publisher's error handling.
 */
@ApplicationScoped
public class CheckpointSender {
    private final MutinyEmitter<byte[]> out;

    public CheckpointSender(@Channel("checkpoints-out") MutinyEmitter<byte[]> out) {
        this.out = out;
    }

    /** Returns once the broker has it. */
    public void send(AuditCheckpointV1 checkpoint, String origin) {
        out.sendMessageAndAwait(EventMessages.of(checkpoint, origin, AuditService.SERVICE));
    }
}
