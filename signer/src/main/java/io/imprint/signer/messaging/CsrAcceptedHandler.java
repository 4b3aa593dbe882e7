package io.imprint.signer.messaging;

import io.imprint.contracts.events.CsrAcceptedV1;
import io.imprint.service.EventMessages;
import io.imprint.service.IncomingRecords;
import io.imprint.signer.service.SigningService;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.annotations.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/** Signs each accepted request and publishes {@code cert.issued} (or {@code csr.rejected}) before committing. */
@ApplicationScoped
public class CsrAcceptedHandler {
    private final SigningService signing;
    private final MutinyEmitter<byte[]> events;

    public CsrAcceptedHandler(SigningService signing, @Channel("events-out") MutinyEmitter<byte[]> events) {
        this.signing = signing;
        this.events = events;
    }

    @Incoming("csr-accepted")
    // Requests are independent, so records run concurrently on worker threads; the throttled commit strategy
    // still commits an offset only once every record before it is done, so a crash loses nothing.
    @Blocking(ordered = false)
    public void handle(ConsumerRecord<String, byte[]> record) {
        CsrAcceptedV1 request = IncomingRecords.decode(record, CsrAcceptedV1.class);
        events.sendMessageAndAwait(EventMessages.of(signing.sign(request), request.deviceId(), "signer"));
    }
}
