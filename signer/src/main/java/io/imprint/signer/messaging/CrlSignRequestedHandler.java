package io.imprint.signer.messaging;

import io.imprint.contracts.events.CrlPublishedV1;
import io.imprint.contracts.events.CrlSignRequestedV1;
import io.imprint.service.EventMessages;
import io.imprint.service.IncomingRecords;
import io.imprint.signer.service.CrlSigningService;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.annotations.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * Signs CRLs from revocation's entries and publishes them on {@code crl.published}. At least once is enough
 * here: a CRL signed twice for the same number carries the same entries, and revocation keeps the newest.
 */
@ApplicationScoped
public class CrlSignRequestedHandler {
    private final CrlSigningService crls;
    private final MutinyEmitter<byte[]> events;

    public CrlSignRequestedHandler(CrlSigningService crls, @Channel("crl-out") MutinyEmitter<byte[]> events) {
        this.crls = crls;
        this.events = events;
    }

    @Incoming("crl-sign-requested")
    @Blocking
    public void handle(ConsumerRecord<String, byte[]> record) {
        CrlPublishedV1 published = crls.sign(IncomingRecords.decode(record, CrlSignRequestedV1.class));
        events.sendMessageAndAwait(EventMessages.of(published, published.issuer(), "signer"));
    }
}
