package io.imprint.service;

import io.imprint.contracts.Headers;
import io.imprint.contracts.MalformedEventException;
import io.imprint.contracts.QuarantineReason;
import io.imprint.pki.UntrustedEventException;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.kafka.KafkaRecord;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.eclipse.microprofile.reactive.messaging.Metadata;
import org.jboss.logging.Logger;

/**
 * Processes one consumed record and settles it. Done: acknowledged. Refused as untrusted or invalid
 * ({@link UntrustedEventException}, {@link MalformedEventException}): set aside on the channel's dead-letter
 * topic with {@code dead-letter-code} and counted in {@code imprint_quarantined_total{topic,reason}}, having
 * changed nothing. A dependency unavailable ({@link TransientFailures}: database, broker): waited out, the
 * record retried with backoff for as long as it takes, readiness DOWN meanwhile; the channel's records are
 * handled in order, so the consumer stops where it is and resumes there. Each attempt runs on a Vert.x context of its
 * own and may go unanswered only so long ({@link FreshContexts}). Any other failure: retried a few
 * times, then nacked, so the channel's failure strategy (its dead-letter topic) applies.
 */
@ApplicationScoped
public class Consumption {
    private static final Logger LOG = Logger.getLogger(Consumption.class);
    /** Retries of a failure that is neither the record's fault nor a known outage, before the dead-letter topic. */
    private static final int UNKNOWN_FAILURE_RETRIES = 3;

    private final MeterRegistry metrics;
    private final ConsumerProgress progress;
    private final FreshContexts contexts;

    public Consumption(MeterRegistry metrics, ConsumerProgress progress, FreshContexts contexts) {
        this.metrics = metrics;
        this.progress = progress;
        this.contexts = contexts;
    }

    public Uni<Void> process(KafkaRecord<String, byte[]> record, Supplier<Uni<?>> work) {
        return progress.tracked(() -> contexts.attempt(work)
                .onFailure(TransientFailures::isTransient)
                .invoke(e -> progress.waitingOut(record.getTopic(), e))
                .onFailure(TransientFailures::isTransient)
                .retry()
                .withBackOff(Backoff.FIRST, Backoff.MAX)
                .indefinitely()
                .onFailure(Consumption::retriable)
                .retry()
                .withBackOff(Backoff.FIRST, Backoff.MAX)
                .atMost(UNKNOWN_FAILURE_RETRIES)
                .onItem()
                .invoke(done -> progress.recovered(record.getTopic()))
                .onItem()
                .transformToUni(done -> Uni.createFrom().completionStage(record.ack()))
                .onFailure()
                .recoverWithUni(e -> Uni.createFrom().completionStage(settleFailure(record, e))));
    }

    /** Neither the record's fault nor an outage: maybe a passing conflict, so worth a few more tries. */
    private static boolean retriable(Throwable failure) {
        return !(failure instanceof UntrustedEventException)
                && !(failure instanceof MalformedEventException)
                && !TransientFailures.isTransient(failure);
    }

    public CompletionStage<Void> settleFailure(KafkaRecord<String, byte[]> record, Throwable failure) {
        QuarantineReason reason = failure instanceof UntrustedEventException untrusted
                ? untrusted.reason()
                : failure instanceof MalformedEventException ? QuarantineReason.MALFORMED_EVENT : null;
        if (reason == null) {
            LOG.warnf(
                    "a record of %s failed (the channel's failure strategy applies): %s",
                    record.getTopic(), failure.toString());
            return record.nack(failure);
        }
        quarantined(record.getTopic(), reason, failure.getMessage());
        return record.nack(
                failure,
                Metadata.of(OutgoingKafkaRecordMetadata.builder()
                        .withHeaders(new RecordHeaders()
                                .add(Headers.DLQ_CODE, reason.name().getBytes(StandardCharsets.UTF_8)))
                        .build()));
    }

    /** Counts and logs a refused record; the message names the defect, never a key. */
    public void quarantined(String topic, QuarantineReason reason, String message) {
        metrics.counter("imprint.quarantined", "topic", topic, "reason", reason.name())
                .increment();
        LOG.warnf("quarantined a record of %s: %s %s", topic, reason, message);
    }
}
