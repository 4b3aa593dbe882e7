package io.imprint.signer.messaging;

import io.imprint.contracts.EventCodec;
import io.imprint.contracts.MalformedEventException;
import io.imprint.contracts.Topics;
import io.imprint.contracts.events.CrlPublishedV1;
import io.smallrye.common.annotation.Identifier;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.jboss.logging.Logger;

/**
 * Reads the signer's own {@code crl.published} history (a compacted topic: the newest CRL of each CA stays)
 * from the beginning at the first CRL request, then catches up before each one, so the signer holds every
 * request against the last CRL any signer instance published. Not thread-safe: CRL requests are handled one
 * at a time.
 */
@ApplicationScoped
public class CrlHistoryReader {
    private static final Logger LOG = Logger.getLogger(CrlHistoryReader.class);
    private static final Duration CATCH_UP = Duration.ofSeconds(30);

    private final Map<String, Object> kafka;
    private KafkaConsumer<String, byte[]> consumer;
    private List<TopicPartition> partitions;

    public CrlHistoryReader(@Identifier("default-kafka-broker") Map<String, Object> kafka) {
        this.kafka = kafka;
    }

    /** Hands every CRL published since the last call to {@code crl}, up to the topic's end as of now. */
    public void catchUp(Consumer<CrlPublishedV1> crl) {
        if (consumer == null) {
            open();
        }
        Map<TopicPartition, Long> end = consumer.endOffsets(partitions, CATCH_UP);
        long deadline = System.nanoTime() + CATCH_UP.toNanos();
        while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("could not read " + Topics.CRL_PUBLISHED + " to its end within "
                        + CATCH_UP + "; no CRL is signed without the history");
            }
            for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                try {
                    crl.accept(EventCodec.decode(record.value(), CrlPublishedV1.class));
                } catch (MalformedEventException e) {
                    LOG.warnf(
                            "ignoring %s-%d@%d in the CRL history: %s",
                            record.topic(), record.partition(), record.offset(), e.getMessage());
                }
            }
        }
    }

    private void open() {
        Map<String, Object> config = new HashMap<>(kafka);
        config.remove(ConsumerConfig.GROUP_ID_CONFIG);
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        config.put(ConsumerConfig.CLIENT_ID_CONFIG, "imprint-signer-crl-history");
        consumer = new KafkaConsumer<>(config, new StringDeserializer(), new ByteArrayDeserializer());
        partitions = consumer.partitionsFor(Topics.CRL_PUBLISHED, CATCH_UP).stream()
                .map(info -> new TopicPartition(info.topic(), info.partition()))
                .toList();
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
    }

    @PreDestroy
    void close() {
        if (consumer != null) {
            consumer.close();
        }
    }
}
