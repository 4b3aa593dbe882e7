package io.imprint.fleet.messaging;

import io.imprint.fleet.service.OutboxEvents.Pending;
import io.imprint.service.Await;
import io.imprint.service.EventMessages;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.OnOverflow;

/**
 * Sends a batch of outbox events. A bean of its own, so the scheduled publisher can run before the channel is
 * wired at start: this is created on first use, inside the publisher's error handling.
 */
@ApplicationScoped
public class OutboxSender {
    static final int BATCH = 500;
    private static final String SERVICE = "fleet-registry";
    private final MutinyEmitter<byte[]> events;

    public OutboxSender(
            @Channel("events-out") @OnOverflow(value = OnOverflow.Strategy.BUFFER, bufferSize = 2 * BATCH)
                    MutinyEmitter<byte[]> events) {
        this.events = events;
    }

    /**
     * Returns once the broker has every one. One producer keeps the order of sends per partition, so a device's
     * states arrive in version order.
     */
    public void sendAll(List<Pending> batch) {
        List<Uni<Void>> sends = batch.stream()
                .map(p -> events.sendMessage(
                        EventMessages.encoded(p.type(), p.value().getBytes(StandardCharsets.UTF_8), p.key(), SERVICE)))
                .toList();
        Await.result(() -> Uni.join().all(sends).andFailFast().replaceWithVoid());
    }
}
