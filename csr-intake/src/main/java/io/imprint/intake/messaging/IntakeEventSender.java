package io.imprint.intake.messaging;

import io.imprint.intake.service.IntakeEvents.Pending;
import io.imprint.pki.signing.ServiceCredential;
import io.imprint.service.EventMessages;
import io.smallrye.reactive.messaging.MutinyEmitter;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Channel;

/**
 * Sends one outbox event, signed with csr-intake's identity. A bean of its own, so the scheduled publisher can
 * run before the channel is wired at start: this is created on first use, inside the publisher's error handling.
 */
@ApplicationScoped
public class IntakeEventSender {
    private static final String SERVICE = "csr-intake";
    private final MutinyEmitter<byte[]> events;
    private final ServiceCredential credential;

    public IntakeEventSender(@Channel("events-out") MutinyEmitter<byte[]> events, ServiceCredential credential) {
        this.events = events;
        this.credential = credential;
    }

    /** Returns once the broker has it. */
    public void send(Pending pending) {
        events.sendMessageAndAwait(EventMessages.signed(pending.event(), pending.key(), SERVICE, credential));
    }
}
