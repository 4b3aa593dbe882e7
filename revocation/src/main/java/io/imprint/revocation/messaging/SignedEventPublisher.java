package io.imprint.revocation.messaging;

import io.imprint.contracts.events.ImprintEvent;
import io.imprint.pki.signing.ServiceCredential;
import io.imprint.service.EventMessages;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Channel;

/**
 * Publishes revocation's commands and announcements ({@code cert.revoked}, {@code crl.sign-requested}),
 * each signed with revocation's service identity, on the topic of its event type.
 */
@ApplicationScoped
public class SignedEventPublisher {
    private static final String SERVICE = "revocation";

    private final MutinyEmitter<byte[]> events;
    private final ServiceCredential credential;

    public SignedEventPublisher(@Channel("events-out") MutinyEmitter<byte[]> events, ServiceCredential credential) {
        this.events = events;
        this.credential = credential;
    }

    public Uni<Void> publish(ImprintEvent event, String key) {
        return events.sendMessage(EventMessages.signed(event, key, SERVICE, credential));
    }
}
