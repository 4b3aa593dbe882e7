package io.imprint.intake.messaging;

import io.imprint.contracts.Headers;
import io.imprint.contracts.MalformedEventException;
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
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.annotations.Blocking;
import io.smallrye.reactive.messaging.kafka.KafkaRecord;
import io.smallrye.reactive.messaging.kafka.KafkaRecordBatch;
import io.smallrye.reactive.messaging.kafka.api.IncomingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;
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
    // A poll's records are decided together (IntakeService.decideAll); polls run concurrently on worker threads,
    // and the throttled commit strategy commits an offset only once every record before it is acknowledged, so a
    // crash loses nothing. The pool is bounded (application.properties): more polls in flight than cores only
    // queue on the database.
    @Blocking(value = "intake-workers", ordered = false)
    public Uni<Void> handle(KafkaRecordBatch<String, byte[]> batch) throws InterruptedException {
        progress.started();
        try {
            decideAndAnswer(batch.getRecords());
        } finally {
            progress.finished();
        }
        return Uni.createFrom().voidItem();
    }

    private void decideAndAnswer(List<KafkaRecord<String, byte[]>> records) throws InterruptedException {
        List<KafkaRecord<String, byte[]>> readable = new ArrayList<>();
        List<IntakeService.Submitted> submitted = new ArrayList<>();
        for (KafkaRecord<String, byte[]> record : records) {
            CsrSubmittedV1 submission;
            try {
                submission = IncomingRecords.decode(record, CsrSubmittedV1.class);
            } catch (MalformedEventException e) {
                settled(consumption.settleFailure(record, e)); // to the dead-letter topic
                continue;
            }
            readable.add(record);
            submitted.add(new IntakeService.Submitted(
                    submission,
                    IncomingRecords.header(record.getHeaders(), Headers.STATION_CERT),
                    IncomingRecords.header(record.getHeaders(), Headers.STATION_SIGNATURE),
                    record.getPayload(),
                    source(record)));
        }
        if (submitted.isEmpty()) {
            return;
        }
        List<IntakeService.Decision> decisions =
                retried(submitted.get(0).submission(), records.get(0).getTopic(), () -> intake.decideAll(submitted));
        if (decisions == null) {
            // the poll as a whole keeps failing: one at a time, so only the record at fault reaches the DLQ
            for (int k = 0; k < readable.size(); k++) {
                IntakeService.Submitted s = submitted.get(k);
                KafkaRecord<String, byte[]> record = readable.get(k);
                IntakeService.Decision decision = retried(
                        s.submission(),
                        record.getTopic(),
                        () -> intake.decide(s.submission(), s.stationCert(), s.signature(), s.value(), s.source()));
                if (decision == null) {
                    settled(consumption.settleFailure(
                            record,
                            new IllegalStateException(
                                    "request " + s.submission().requestId() + " could not be decided")));
                    continue;
                }
                answer(List.of(decision), List.of(s.submission()));
                settled(record.ack());
            }
            return;
        }
        answer(
                decisions,
                submitted.stream().map(IntakeService.Submitted::submission).toList());
        for (KafkaRecord<String, byte[]> record : readable) {
            settled(record.ack());
        }
    }

    /**
     * Runs {@code deciding} until it decides: an outage is waited out however long; another failure is tried
     * {@value #ATTEMPTS} times, then given up (null).
     */
    private <T> T retried(CsrSubmittedV1 first, String topic, Supplier<T> deciding) throws InterruptedException {
        for (int attempt = 1; ; attempt++) {
            try {
                T decided = deciding.get();
                progress.recovered(topic);
                return decided;
            } catch (RuntimeException e) {
                if (TransientFailures.isTransient(e)) {
                    // the database is down: wait it out on this poll, however long, rather than dead-letter it
                    progress.waitingOut(topic, e);
                    Thread.sleep(Backoff.before(attempt).toMillis());
                    continue;
                }
                if (attempt == ATTEMPTS) {
                    LOG.warnf("deciding from request %s on failed %d times: %s", first.requestId(), ATTEMPTS, e);
                    return null;
                }
                LOG.warnf(
                        "deciding from request %s on failed (%s), attempt %d of %d",
                        first.requestId(), e.getMessage(), attempt, ATTEMPTS);
                Thread.sleep(Backoff.before(attempt).toMillis());
            }
        }
    }

    /**
     * Publishes the decisions, all sent before any is awaited: acceptances signed to the signer, rejections to
     * audit, and every answer to the station's factory. A broker outage is waited out and the lot sent again
     * (consumers take a decision once however often it arrives).
     */
    private void answer(List<IntakeService.Decision> decisions, List<CsrSubmittedV1> submissions)
            throws InterruptedException {
        for (int attempt = 1; ; attempt++) {
            List<Uni<Void>> sends = new ArrayList<>();
            for (int k = 0; k < decisions.size(); k++) {
                IntakeService.Decision decision = decisions.get(k);
                ImprintEvent event = decision.event();
                String key = submissions.get(k).deviceId();
                if (event instanceof CsrAcceptedV1) {
                    sends.add(events.sendMessage(EventMessages.signed(event, key, SERVICE, credential)));
                    continue;
                }
                if (!(event instanceof CsrChallengedV1)) {
                    // A rejection is signed too: audit logs only those csr-intake or the signer signed, whoever
                    // else the broker lets write the topic (the offline factory's mirror, at headquarters).
                    sends.add(events.sendMessage(EventMessages.signed(event, key, SERVICE, credential)));
                }
                if (decision.answerFactory() != null) {
                    stationResults
                            .topic(decision.answerFactory())
                            .ifPresent(topic ->
                                    sends.add(events.sendMessage(EventMessages.to(topic, event, key, SERVICE))));
                }
            }
            try {
                if (!sends.isEmpty()) {
                    Uni.join().all(sends).andCollectFailures().await().indefinitely();
                }
                return;
            } catch (RuntimeException e) {
                if (!TransientFailures.isTransient(e)) {
                    throw e;
                }
                LOG.warnf("decisions not published yet (%s); sending them again", e.getMessage());
                Thread.sleep(Backoff.before(attempt).toMillis());
            }
        }
    }

    /** Where the record was read (topic, partition, offset): tells a redelivery from a replay. */
    private static String source(KafkaRecord<String, byte[]> record) {
        IncomingKafkaRecordMetadata<?, ?> read = record.getMetadata(IncomingKafkaRecordMetadata.class)
                .orElseThrow(() -> new IllegalStateException("a consumed record without its offset"));
        return read.getTopic() + "/" + read.getPartition() + "/" + read.getOffset();
    }

    private static void settled(CompletionStage<Void> settling) {
        settling.toCompletableFuture().join();
    }
}
