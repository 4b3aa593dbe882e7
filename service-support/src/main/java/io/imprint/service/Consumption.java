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
 * changed nothing. Any other failure: nacked, so the channel's failure strategy applies.
 */
@ApplicationScoped
public class Consumption {
    private static final Logger LOG = Logger.getLogger(Consumption.class);
    private final MeterRegistry metrics;
    private final ConsumerProgress progress;

    public Consumption(MeterRegistry metrics, ConsumerProgress progress) {
        this.metrics = metrics;
        this.progress = progress;
    }

    public Uni<Void> process(KafkaRecord<String, byte[]> record, Supplier<Uni<?>> work) {
        return progress.tracked(() -> Uni.createFrom().<Object>deferred(work)
                .onItem().transformToUni(done -> Uni.createFrom().completionStage(record.ack()))
                .onFailure().recoverWithUni(e -> Uni.createFrom().completionStage(settleFailure(record, e))));
    }

    private CompletionStage<Void> settleFailure(KafkaRecord<String, byte[]> record, Throwable failure) {
        QuarantineReason reason = failure instanceof UntrustedEventException untrusted ? untrusted.reason()
                : failure instanceof MalformedEventException ? QuarantineReason.MALFORMED_EVENT : null;
        if (reason == null) {
            LOG.warnf("a record of %s failed (the channel's failure strategy applies): %s", record.getTopic(),
                    failure.toString());
            return record.nack(failure);
        }
        quarantined(record.getTopic(), reason, failure.getMessage());
        return record.nack(failure, Metadata.of(OutgoingKafkaRecordMetadata.builder()
                .withHeaders(new RecordHeaders().add(Headers.DLQ_CODE, reason.name().getBytes(StandardCharsets.UTF_8)))
                .build()));
    }

    /** Counts and logs a refused record; the message names the defect, never a key. */
    public void quarantined(String topic, QuarantineReason reason, String message) {
        metrics.counter("imprint.quarantined", "topic", topic, "reason", reason.name()).increment();
        LOG.warnf("quarantined a record of %s: %s %s", topic, reason, message);
    }
}
