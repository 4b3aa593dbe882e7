package io.imprint.revocation.messaging;

import io.imprint.pki.signing.ServiceCredential;
import io.imprint.revocation.service.RevocationOutbox.Pending;
import io.imprint.service.Await;
import io.imprint.service.EventMessages;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.OnOverflow;

/**
 * Publishes revocation's commands and announcements ({@code cert.revoked}, {@code crl.sign-requested}) from its
 * outbox, each signed with revocation's service identity over its committed bytes, on the topic of its type. A
 * bean of its own, so the relay can run before the channel is wired at start: this is created on first use,
 * inside the relay's error handling.
 */
@ApplicationScoped
public class SignedEventPublisher {
    static final int BATCH = 500;
    private static final String SERVICE = "revocation";

    private final MutinyEmitter<byte[]> events;
    private final ServiceCredential credential;

    public SignedEventPublisher(
            @Channel("events-out") @OnOverflow(value = OnOverflow.Strategy.BUFFER, bufferSize = 2 * BATCH)
                    MutinyEmitter<byte[]> events,
            ServiceCredential credential) {
        this.events = events;
        this.credential = credential;
    }

    /** Returns once the broker has every one; one producer keeps their order per partition. */
    public void sendAll(List<Pending> batch) {
        List<Uni<Void>> sends = batch.stream()
                .map(p -> events.sendMessage(
                        EventMessages.signedEncoded(p.type(), p.value(), p.key(), SERVICE, credential)))
                .toList();
        Await.result(() -> Uni.join().all(sends).andFailFast().replaceWithVoid());
    }
}
