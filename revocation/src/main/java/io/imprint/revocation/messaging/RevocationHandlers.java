package io.imprint.revocation.messaging;

import io.imprint.contracts.events.CertIssuedV1;
import io.imprint.contracts.events.CrlPublishedV1;
import io.imprint.revocation.service.RevocationService;
import io.imprint.service.IncomingRecords;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import io.quarkus.vertx.VertxContextSupport;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/** Learns issued serials and signed CRLs; asks for CRLs at start and whenever the current one nears its end. */
@ApplicationScoped
public class RevocationHandlers {
    private static final Logger LOG = Logger.getLogger(RevocationHandlers.class);
    private final RevocationService revocation;

    public RevocationHandlers(RevocationService revocation) {
        this.revocation = revocation;
    }

    @Incoming("cert-issued")
    public Uni<Void> onIssued(ConsumerRecord<String, byte[]> record) {
        return revocation.recordIssued(IncomingRecords.decode(record, CertIssuedV1.class));
    }

    @Incoming("crl-published")
    public Uni<Void> onCrlPublished(ConsumerRecord<String, byte[]> record) {
        return revocation.store(IncomingRecords.decode(record, CrlPublishedV1.class));
    }

    void requestFirstCrl(@Observes StartupEvent start) {
        try {
            // Hibernate Reactive needs a Vert.x context, which start-up observers do not run on.
            VertxContextSupport.subscribeAndAwait(revocation::refreshCrlIfDue);
        } catch (Throwable e) {
            LOG.warnf("could not request a CRL at start-up: %s", e.getMessage());
        }
    }

    /** Re-signs the CRL before it lapses, even when nothing is revoked. */
    @Scheduled(every = "${imprint.revocation.crl-check-interval}", delayed = "${imprint.revocation.crl-check-interval}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> refreshCrl() {
        return revocation.refreshCrlIfDue().replaceWithVoid();
    }
}
