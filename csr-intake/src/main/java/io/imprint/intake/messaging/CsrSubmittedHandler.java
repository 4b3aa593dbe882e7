package io.imprint.intake.messaging;

import io.imprint.contracts.Headers;
import io.imprint.contracts.MalformedEventException;
import io.imprint.contracts.QuarantineReason;
import io.imprint.contracts.events.CsrAcceptedV1;
import io.imprint.contracts.events.CsrChallengedV1;
import io.imprint.contracts.events.CsrSubmittedV1;
import io.imprint.contracts.events.ImprintEvent;
import io.imprint.intake.service.IntakeService;
import io.imprint.pki.signing.ServiceCredential;
import io.imprint.service.Backoff;
import io.imprint.service.ConsumerProgress;
import io.imprint.service.Consumption;
import io.imprint.service.EventMessages;
import io.imprint.service.IncomingRecords;
import io.imprint.service.StationResults;
import io.imprint.service.TransientFailures;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.annotations.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/**
 * Consumes station submissions and publishes the decision: an acceptance as {@code csr.accepted}, signed with
 * csr-intake's identity (the signer signs nothing else); a rejection as {@code csr.rejected}, and a copy on
 * the station-results topic of the authenticated station's factory; a TPM submission's challenge on that
 * topic only (it decides nothing, so neither the signer nor audit needs it). The offset is committed only after the
 * decision is written, so a crash re-delivers rather than loses a request, and the stored decision is
 * published again. Undecodable records go to the DLQ. A database outage is waited out on the record it hit,
 * readiness DOWN meanwhile; a failure of another kind is retried a few times, then dead-lettered.
 */
@ApplicationScoped
public class CsrSubmittedHandler {
    private static final Logger LOG = Logger.getLogger(CsrSubmittedHandler.class);
    private static final int ATTEMPTS = 5;
    private static final String SERVICE = "csr-intake";

    private final IntakeService intake;
    private final MutinyEmitter<byte[]> events;
    private final ServiceCredential credential;
    private final StationResults stationResults;
    private final ConsumerProgress progress;
    private final Consumption consumption;

    public CsrSubmittedHandler(
            IntakeService intake,
            @Channel("events-out") MutinyEmitter<byte[]> events,
            ServiceCredential credential,
            StationResults stationResults,
            ConsumerProgress progress,
            Consumption consumption) {
        this.intake = intake;
        this.consumption = consumption;
        this.progress = progress;
        this.events = events;
        this.credential = credential;
        this.stationResults = stationResults;
    }

    @Incoming("csr-submitted")
    // Requests are independent, so records run concurrently on worker threads; the throttled commit strategy
    // still commits an offset only once every record before it is done, so a crash loses nothing. The pool is
    // bounded (application.properties): more requests in flight than cores only queue on the database.
    @Blocking(value = "intake-workers", ordered = false)
    public void handle(ConsumerRecord<String, byte[]> record) throws InterruptedException {
        progress.started();
        try {
            decideAndAnswer(record);
        } finally {
            progress.finished();
        }
    }

    private void decideAndAnswer(ConsumerRecord<String, byte[]> record) throws InterruptedException {
        CsrSubmittedV1 submission;
        try {
            submission = IncomingRecords.decode(record, CsrSubmittedV1.class);
        } catch (MalformedEventException e) {
            consumption.quarantined(record.topic(), QuarantineReason.MALFORMED_EVENT, e.getMessage());
            throw e; // to the dead-letter topic
        }
        String source = record.topic() + "/" + record.partition() + "/" + record.offset();
        IntakeService.Decision decision = null;
        for (int attempt = 1; decision == null; attempt++) {
            try {
                decision = intake.decide(
                        submission,
                        IncomingRecords.header(record, Headers.STATION_CERT),
                        IncomingRecords.header(record, Headers.STATION_SIGNATURE),
                        record.value(),
                        source);
            } catch (RuntimeException e) {
                if (TransientFailures.isTransient(e)) {
                    // the database is down: wait it out on this record, however long, rather than dead-letter it
                    progress.waitingOut(record.topic(), e);
                    Thread.sleep(Backoff.before(attempt).toMillis());
                    continue;
                }
                if (attempt == ATTEMPTS) {
                    throw e;
                }
                LOG.warnf(
                        "request %s: deciding failed (%s), attempt %d of %d",
                        submission.requestId(), e.getMessage(), attempt, ATTEMPTS);
                Thread.sleep(Backoff.before(attempt).toMillis());
            }
        }
        progress.recovered(record.topic());
        ImprintEvent event = decision.event();
        String key = submission.deviceId();
        if (event instanceof CsrAcceptedV1) {
            events.sendMessageAndAwait(EventMessages.signed(event, key, SERVICE, credential));
            return;
        }
        if (!(event instanceof CsrChallengedV1)) {
            events.sendMessageAndAwait(EventMessages.of(event, key, SERVICE));
        }
        if (decision.answerFactory() != null) {
            stationResults
                    .topic(decision.answerFactory())
                    .ifPresent(topic -> events.sendMessageAndAwait(EventMessages.to(topic, event, key, SERVICE)));
        }
    }
}
