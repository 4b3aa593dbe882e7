package io.imprint.signer.messaging;

import io.imprint.contracts.Headers;
import io.imprint.contracts.MalformedEventException;
import io.imprint.contracts.QuarantineReason;
import io.imprint.contracts.events.CsrAcceptedV1;
import io.imprint.contracts.events.CsrRejectedV1;
import io.imprint.contracts.events.ImprintEvent;
import io.imprint.pki.UntrustedEventException;
import io.imprint.pki.signing.ServiceCredential;
import io.imprint.service.Consumption;
import io.imprint.service.EventMessages;
import io.imprint.service.IncomingRecords;
import io.imprint.service.SignedCommands;
import io.imprint.service.StationResults;
import io.imprint.signer.config.SignerConfig;
import io.imprint.signer.service.SigningService;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.kafka.KafkaRecord;
import io.smallrye.reactive.messaging.kafka.api.IncomingKafkaRecordMetadata;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.eclipse.microprofile.reactive.messaging.Message;

/**
 * Signs the records of one batch in parallel, one thread per HSM session, and publishes each result in the
 * order the records came as soon as it and every record before it are signed. The transaction's producer
 * thus sends certificates while later ones are still being signed, instead of sending a whole batch of them
 * at the end while the HSM sessions wait for the commit.
 *
 * <p>Before anything else, each record must be a command csr-intake signed with its service identity, over
 * its exact value bytes: a record written by anyone else (a station, revocation, an administrator bypassing
 * the ACLs, a mirror replaying another cluster) never reaches the CA key. It is set aside, unsigned, on
 * {@code imprint.csr.accepted.v1.signer.dlq} with its {@code dead-letter-code}, counted, and published in the
 * same transaction; so is a record that does not decode. Each result also goes to the station-results topic
 * of the request's factory.
 */
@ApplicationScoped
public class BatchSigner {
    static final String DEAD_LETTER_TOPIC = "imprint.csr.accepted.v1.signer.dlq";

    /** The only service whose {@code csr.accepted} the signer acts on. */
    private static final Set<String> INTAKE = Set.of("csr-intake");

    private final SigningService signing;
    private final SignedCommands commands;
    private final StationResults stationResults;
    private final Consumption consumption;
    private final ServiceCredential credential;
    private final ExecutorService workers;

    public BatchSigner(
            SigningService signing,
            SignerConfig config,
            SignedCommands commands,
            StationResults stationResults,
            Consumption consumption,
            ServiceCredential credential) {
        this.signing = signing;
        this.credential = credential;
        this.commands = commands;
        this.stationResults = stationResults;
        this.consumption = consumption;
        AtomicInteger count = new AtomicInteger();
        this.workers = Executors.newFixedThreadPool(config.sessions(), task -> {
            Thread thread = new Thread(task, "signer-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
    }

    /**
     * Completes when every record is signed and handed to {@code publish}; fails, leaving the rest
     * unpublished, if signing one fails (the caller's transaction then aborts what was published).
     */
    public Uni<Void> sign(List<KafkaRecord<String, byte[]>> records, Consumer<Message<byte[]>> publish) {
        InOrder inOrder = new InOrder(records.size(), publish);
        CompletableFuture<?>[] signed = new CompletableFuture<?>[records.size()];
        for (int i = 0; i < records.size(); i++) {
            int index = i;
            KafkaRecord<String, byte[]> record = records.get(i);
            signed[i] = CompletableFuture.supplyAsync(() -> sign(record), workers)
                    .thenAccept(message -> inOrder.signed(index, message));
        }
        return Uni.createFrom().completionStage(CompletableFuture.allOf(signed));
    }

    /**
     * Publishes results in record order: a device's requests keep their order on its partition, so its
     * newest certificate is the last one consumers see.
     */
    static final class InOrder {
        private final Object[] waiting;
        private final Consumer<Message<byte[]>> publish;
        private int next;

        InOrder(int size, Consumer<Message<byte[]>> publish) {
            this.waiting = new Object[size];
            this.publish = publish;
        }

        @SuppressWarnings("unchecked")
        synchronized void signed(int index, List<Message<byte[]>> messages) {
            waiting[index] = messages;
            while (next < waiting.length && waiting[next] != null) {
                ((List<Message<byte[]>>) waiting[next]).forEach(publish);
                waiting[next++] = null;
            }
        }
    }

    private List<Message<byte[]>> sign(KafkaRecord<String, byte[]> record) {
        CsrAcceptedV1 request;
        try {
            commands.verify(record, INTAKE);
            request = IncomingRecords.decode(record, CsrAcceptedV1.class);
        } catch (UntrustedEventException e) {
            consumption.quarantined(record.getTopic(), e.reason(), e.getMessage());
            return List.of(deadLetter(record, e.reason(), e.getMessage()));
        } catch (MalformedEventException e) {
            consumption.quarantined(record.getTopic(), QuarantineReason.MALFORMED_EVENT, e.getMessage());
            return List.of(deadLetter(record, QuarantineReason.MALFORMED_EVENT, e.getMessage()));
        }
        ImprintEvent result = signing.sign(request);
        // A refusal is signed, as csr-intake's rejections are, for audit to log it; a certificate proves itself.
        Message<byte[]> published = result instanceof CsrRejectedV1
                ? EventMessages.signed(result, request.deviceId(), SigningService.SERVICE, credential)
                : EventMessages.of(result, request.deviceId(), SigningService.SERVICE);
        return stationResults
                .topic(request.factoryId())
                .map(topic ->
                        List.of(published, EventMessages.to(topic, result, request.deviceId(), SigningService.SERVICE)))
                .orElse(List.of(published));
    }

    /** The same headers SmallRye's dead-letter-queue strategy writes, so SREs read every DLQ alike. */
    private static Message<byte[]> deadLetter(
            KafkaRecord<String, byte[]> record, QuarantineReason code, String reason) {
        RecordHeaders headers = new RecordHeaders();
        record.getHeaders().forEach(headers::add);
        headers.add(Headers.DLQ_CODE, code.name().getBytes(StandardCharsets.UTF_8));
        headers.add(Headers.DLQ_REASON, reason.getBytes(StandardCharsets.UTF_8));
        headers.add(Headers.DLQ_TOPIC, record.getTopic().getBytes(StandardCharsets.UTF_8));
        headers.add(
                "dead-letter-partition", String.valueOf(record.getPartition()).getBytes(StandardCharsets.UTF_8));
        headers.add("dead-letter-offset", String.valueOf(offset(record)).getBytes(StandardCharsets.UTF_8));
        return Message.of(record.getPayload())
                .addMetadata(OutgoingKafkaRecordMetadata.<String>builder()
                        .withTopic(DEAD_LETTER_TOPIC)
                        .withKey(record.getKey())
                        .withHeaders(headers)
                        .build());
    }

    private static long offset(KafkaRecord<String, byte[]> record) {
        return record.getMetadata(IncomingKafkaRecordMetadata.class)
                .map(IncomingKafkaRecordMetadata::getOffset)
                .orElse(-1L);
    }

    @PreDestroy
    void stop() {
        workers.shutdownNow();
    }
}
