package io.imprint.revocation.messaging;

import io.imprint.contracts.events.CertIssuedV1;
import io.imprint.contracts.events.CrlPublishedV1;
import io.imprint.pki.crl.CrlExtensions;
import io.imprint.pki.issuance.IssuedCertificateVerifier;
import io.imprint.revocation.service.CrlService;
import io.imprint.revocation.service.RevocationService;
import io.imprint.service.BatchConsumption;
import io.imprint.service.Consumption;
import io.imprint.service.IncomingRecords;
import io.quarkus.runtime.Startup;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import io.quarkus.vertx.VertxContextSupport;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.kafka.KafkaRecord;
import io.smallrye.reactive.messaging.kafka.KafkaRecordBatch;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.security.cert.X509Certificate;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/**
 * Learns issued serials and signed CRLs; asks for CRLs at start and whenever the current one nears its end.
 * A {@code cert.issued} counts only if its certificate verifies under a trusted issuing CA and names the
 * event's device, serial and issuer; anything else is quarantined and never answered "good", never a reason
 * to supersede another certificate.
 */
@Startup // built at start, so a missing issuing CA stops the service instead of dead-lettering genuine events
@ApplicationScoped
public class RevocationHandlers {
    /** The scheduled CRL refresh's identity, for pausing it. */
    public static final String CRL_REFRESH_JOB = "revocation-crl-refresh";

    private static final Logger LOG = Logger.getLogger(RevocationHandlers.class);
    private final RevocationService revocation;
    private final CrlService crls;
    private final IssuedCertificateVerifier certificates;
    private final Consumption consumption;
    private final BatchConsumption batches;

    public RevocationHandlers(
            RevocationService revocation,
            CrlService crls,
            IssuedCertificateVerifier certificates,
            Consumption consumption,
            BatchConsumption batches) {
        this.revocation = revocation;
        this.crls = crls;
        this.certificates = certificates;
        this.consumption = consumption;
        this.batches = batches;
    }

    @Incoming("cert-issued")
    public Uni<Void> onIssued(KafkaRecordBatch<String, byte[]> batch) {
        return batches.process(
                batch,
                record -> {
                    CertIssuedV1 issued = IncomingRecords.decode(record, CertIssuedV1.class);
                    X509Certificate certificate = certificates.verify(
                            issued.certificate(), issued.deviceId(), issued.serialNumber(), issued.issuer());
                    String point = CrlExtensions.distributionPoint(certificate);
                    return new RevocationService.Issued(
                            issued, certificate.getNotBefore().toInstant(), point == null ? "" : point);
                },
                revocation::recordIssued);
    }

    @Incoming("crl-published")
    public Uni<Void> onCrlPublished(KafkaRecord<String, byte[]> record) {
        return consumption.process(record, () -> crls.store(IncomingRecords.decode(record, CrlPublishedV1.class)));
    }

    void requestFirstCrl(@Observes StartupEvent start) {
        try {
            // Hibernate Reactive needs a Vert.x context, which start-up observers do not run on.
            VertxContextSupport.subscribeAndAwait(crls::refreshCrlIfDue);
        } catch (Throwable e) {
            LOG.warnf("could not request a CRL at start-up: %s", e.getMessage());
        }
    }

    /** Re-signs the CRL before it lapses, even when nothing is revoked. */
    @Scheduled(
            identity = CRL_REFRESH_JOB,
            every = "${imprint.revocation.crl-check-interval}",
            delayed = "${imprint.revocation.crl-check-interval}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> refreshCrl() {
        return crls.refreshCrlIfDue().replaceWithVoid();
    }
}
