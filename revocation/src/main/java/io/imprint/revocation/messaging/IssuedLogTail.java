package io.imprint.revocation.messaging;

import io.imprint.contracts.EventCodec;
import io.imprint.contracts.Topics;
import io.imprint.contracts.events.CertIssuedV1;
import io.imprint.pki.Serials;
import io.imprint.pki.issuance.IssuedCertificateVerifier;
import io.smallrye.common.annotation.Identifier;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The part of {@code cert.issued} that revocation's consumer group has not yet committed: a certificate the
 * signer has issued but revocation has not recorded yet lies there. An operator revoking a just-issued
 * certificate is told "not found" only when the certificate is in neither the database nor this tail. The
 * tail is read with a consumer of its own that never joins the group and never commits, so the group's
 * members and offsets are untouched. It reads uncommitted records too: the signer's transaction writes its
 * commit marker to each partition in turn, so a station may already hold its certificate (read committed from
 * its results topic) while {@code cert.issued} still shows it uncommitted. A genuine certificate there was signed
 * by our CA and is waited for like any other. Blocking: call it from worker threads; one caller at a time.
 */
@ApplicationScoped
public class IssuedLogTail {
    private static final Duration READ_LIMIT = Duration.ofSeconds(10);

    private final Map<String, Object> kafka;
    private final String group;
    private final IssuedCertificateVerifier certificates;
    private KafkaConsumer<String, byte[]> consumer;
    private List<TopicPartition> partitions;

    public IssuedLogTail(
            @Identifier("default-kafka-broker") Map<String, Object> kafka,
            @ConfigProperty(name = "mp.messaging.incoming.cert-issued.group.id") String group,
            IssuedCertificateVerifier certificates) {
        this.kafka = kafka;
        this.group = group;
        this.certificates = certificates;
    }

    /**
     * Whether a certificate with this serial, genuinely issued by a CA revocation trusts, was written to
     * {@code cert.issued} beyond the group's committed offsets (as of now), committed or not yet.
     *
     * @throws Unreadable when the broker does not give the tail within ten seconds
     */
    public synchronized boolean holds(String serial) {
        try {
            return search(serial);
        } catch (RuntimeException e) {
            close(); // opened afresh by the next call
            throw new Unreadable(e);
        }
    }

    /** The broker did not give the unconsumed part of {@code cert.issued}. */
    public static final class Unreadable extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Unreadable(RuntimeException cause) {
            super("could not read the unconsumed part of " + Topics.CERT_ISSUED + ": " + cause.getMessage(), cause);
        }
    }

    private boolean search(String serial) {
        if (consumer == null) {
            open();
        }
        Map<TopicPartition, Long> end = consumer.endOffsets(partitions, READ_LIMIT);
        Map<TopicPartition, OffsetAndMetadata> committed = consumer.committed(Set.copyOf(partitions), READ_LIMIT);
        Map<TopicPartition, Long> start = new HashMap<>();
        for (TopicPartition p : partitions) {
            OffsetAndMetadata done = committed.get(p);
            long from = done == null
                    ? consumer.beginningOffsets(List.of(p), READ_LIMIT).get(p)
                    : done.offset();
            if (from < end.get(p)) {
                start.put(p, from);
            }
        }
        consumer.assign(start.keySet());
        start.forEach(consumer::seek);
        long deadline = System.nanoTime() + READ_LIMIT.toNanos();
        while (start.keySet().stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("not read to its end within " + READ_LIMIT);
            }
            for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                if (record.offset() < end.get(new TopicPartition(record.topic(), record.partition()))
                        && isGenuine(record, serial)) {
                    return true;
                }
            }
        }
        return false;
    }

    /** A record that does not decode or whose certificate does not verify is no certificate of ours. */
    private boolean isGenuine(ConsumerRecord<String, byte[]> record, String serial) {
        try {
            CertIssuedV1 issued = EventCodec.decode(record.value(), CertIssuedV1.class);
            if (!serial.equals(Serials.hex(Serials.parse(issued.serialNumber())))) {
                return false;
            }
            certificates.verify(issued.certificate(), issued.deviceId(), issued.serialNumber(), issued.issuer());
            return true;
        } catch (RuntimeException e) {
            return false;
        }
    }

    private void open() {
        Map<String, Object> config = new HashMap<>(kafka);
        // The group's id only to read its committed offsets: assign() never joins it, and nothing is committed.
        config.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_uncommitted");
        config.put(ConsumerConfig.CLIENT_ID_CONFIG, "imprint-revocation-issued-tail");
        consumer = new KafkaConsumer<>(config, new StringDeserializer(), new ByteArrayDeserializer());
        partitions = consumer.partitionsFor(Topics.CERT_ISSUED, READ_LIMIT).stream()
                .map(info -> new TopicPartition(info.topic(), info.partition()))
                .collect(Collectors.toUnmodifiableList());
    }

    @PreDestroy
    synchronized void close() {
        if (consumer != null) {
            consumer.close();
            consumer = null;
        }
    }
}
