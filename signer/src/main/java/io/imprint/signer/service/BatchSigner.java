package io.imprint.signer.service;

import io.imprint.contracts.EventCodec;
import io.imprint.contracts.MalformedEventException;
import io.imprint.contracts.events.CsrAcceptedV1;
import io.imprint.service.EventMessages;
import io.imprint.signer.config.SignerConfig;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.kafka.KafkaRecord;
import io.smallrye.reactive.messaging.kafka.api.IncomingKafkaRecordMetadata;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

/**
 * Signs the records of one batch in parallel, one thread per HSM session, and returns the messages to
 * publish in the order the records came. A record that does not decode becomes a dead letter on
 * {@code imprint.csr.accepted.v1.signer.dlq}, published in the same transaction.
 */
@ApplicationScoped
public class BatchSigner {
    static final String DEAD_LETTER_TOPIC = "imprint.csr.accepted.v1.signer.dlq";
    private static final Logger LOG = Logger.getLogger(BatchSigner.class);

    private final SigningService signing;
    private final ExecutorService workers;

    public BatchSigner(SigningService signing, SignerConfig config) {
        this.signing = signing;
        AtomicInteger count = new AtomicInteger();
        this.workers = Executors.newFixedThreadPool(config.sessions(), task -> {
            Thread thread = new Thread(task, "signer-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
    }

    public Uni<List<Message<byte[]>>> sign(List<KafkaRecord<String, byte[]>> records) {
        List<CompletableFuture<Message<byte[]>>> futures = new ArrayList<>(records.size());
        for (KafkaRecord<String, byte[]> record : records) {
            futures.add(CompletableFuture.supplyAsync(() -> sign(record), workers));
        }
        return Uni.createFrom().completionStage(CompletableFuture.allOf(futures.toArray(new CompletableFuture[0])))
                .map(done -> futures.stream().map(CompletableFuture::join).toList());
    }

    private Message<byte[]> sign(KafkaRecord<String, byte[]> record) {
        CsrAcceptedV1 request;
        try {
            request = EventCodec.decode(record.getPayload(), CsrAcceptedV1.class);
        } catch (MalformedEventException e) {
            LOG.warnf("dead-lettering %s-%d@%d: %s", record.getTopic(), record.getPartition(), offset(record),
                    e.getMessage());
            return deadLetter(record, e.getMessage());
        }
        return EventMessages.of(signing.sign(request), request.deviceId(), SigningService.SERVICE);
    }

    /** The same headers SmallRye's dead-letter-queue strategy writes, so SREs read every DLQ alike. */
    private static Message<byte[]> deadLetter(KafkaRecord<String, byte[]> record, String reason) {
        RecordHeaders headers = new RecordHeaders();
        record.getHeaders().forEach(headers::add);
        headers.add("dead-letter-reason", reason.getBytes(StandardCharsets.UTF_8));
        headers.add("dead-letter-topic", record.getTopic().getBytes(StandardCharsets.UTF_8));
        headers.add("dead-letter-partition", String.valueOf(record.getPartition()).getBytes(StandardCharsets.UTF_8));
        headers.add("dead-letter-offset", String.valueOf(offset(record)).getBytes(StandardCharsets.UTF_8));
        return Message.of(record.getPayload()).addMetadata(OutgoingKafkaRecordMetadata.<String>builder()
                .withTopic(DEAD_LETTER_TOPIC).withKey(record.getKey()).withHeaders(headers).build());
    }

    private static long offset(KafkaRecord<String, byte[]> record) {
        return record.getMetadata(IncomingKafkaRecordMetadata.class).map(IncomingKafkaRecordMetadata::getOffset)
                .orElse(-1L);
    }

    @PreDestroy
    void stop() {
        workers.shutdownNow();
    }
}
