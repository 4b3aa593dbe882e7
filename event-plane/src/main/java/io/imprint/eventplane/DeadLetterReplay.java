package io.imprint.eventplane;

import io.imprint.contracts.Headers;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Puts a dead-letter topic's records back on the topic they came from (its {@code dead-letter-topic} header),
 * after the cause was fixed: key, value and headers as they were (station and service signatures included,
 * so the consumer checks them again), the dead-letter headers dropped. Records a service quarantined
 * ({@code dead-letter-code}: forged, untrusted, malformed) are never replayed; they would be refused again.
 * Progress is kept as consumer group {@code imprint-dlq-replay.<dead-letter topic>}, so a second run replays
 * only what arrived since; replayed events are idempotent for their consumers, so a run cut short and
 * repeated duplicates nothing.
 */
final class DeadLetterReplay {
    private static final Set<String> DEAD_LETTER_HEADERS = Set.of(
            Headers.DLQ_REASON,
            Headers.DLQ_TOPIC,
            Headers.DLQ_CODE,
            "dead-letter-exception-class-name",
            "dead-letter-cause-class-name",
            "dead-letter-cause",
            "dead-letter-partition",
            "dead-letter-offset");

    /** What a run did. */
    record Result(int replayed, int quarantinedSkipped) {}

    private DeadLetterReplay() {}

    static Result replay(Properties client, String deadLetterTopic, Duration idle) throws InterruptedException {
        if (!deadLetterTopic.endsWith(".dlq")) {
            throw new IllegalArgumentException(deadLetterTopic + " is not a dead-letter topic (*.dlq)");
        }
        Properties consumerProps = new Properties();
        consumerProps.putAll(client);
        consumerProps.put(ConsumerConfig.GROUP_ID_CONFIG, "imprint-dlq-replay." + deadLetterTopic);
        consumerProps.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        consumerProps.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        consumerProps.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        Properties producerProps = new Properties();
        producerProps.putAll(client);
        producerProps.put(ProducerConfig.ACKS_CONFIG, "all");
        producerProps.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        int replayed = 0;
        int skipped = 0;
        try (KafkaConsumer<byte[], byte[]> consumer =
                        new KafkaConsumer<>(consumerProps, new ByteArrayDeserializer(), new ByteArrayDeserializer());
                KafkaProducer<byte[], byte[]> producer =
                        new KafkaProducer<>(producerProps, new ByteArraySerializer(), new ByteArraySerializer())) {
            consumer.subscribe(List.of(deadLetterTopic));
            SentRecords sent = new SentRecords();
            long quietUntil = System.nanoTime() + idle.toNanos();
            while (System.nanoTime() < quietUntil) {
                var records = consumer.poll(Duration.ofMillis(500));
                if (records.isEmpty()) {
                    continue;
                }
                for (ConsumerRecord<byte[], byte[]> record : records) {
                    if (record.headers().lastHeader(Headers.DLQ_CODE) != null) {
                        skipped++;
                        continue;
                    }
                    Header origin = record.headers().lastHeader(Headers.DLQ_TOPIC);
                    if (origin == null) {
                        throw new IllegalStateException(deadLetterTopic + "-" + record.partition() + "@"
                                + record.offset() + " has no " + Headers.DLQ_TOPIC + " header: not replayed");
                    }
                    ProducerRecord<byte[], byte[]> back = new ProducerRecord<>(
                            new String(origin.value(), java.nio.charset.StandardCharsets.UTF_8),
                            record.key(),
                            record.value());
                    for (Header header : record.headers()) {
                        if (!DEAD_LETTER_HEADERS.contains(header.key())) {
                            back.headers().add(header);
                        }
                    }
                    sent.add(producer.send(back));
                }
                // Every record of the batch is back on its topic before its offset is committed: a failed send
                // stops the replay with the offset where it was, and the next run takes the batch again.
                producer.flush();
                replayed += sent.confirm();
                Map<TopicPartition, OffsetAndMetadata> done = records.partitions().stream()
                        .collect(Collectors.toMap(
                                p -> p,
                                p -> new OffsetAndMetadata(records.records(p)
                                                .get(records.records(p).size() - 1)
                                                .offset()
                                        + 1)));
                consumer.commitSync(done);
                quietUntil = System.nanoTime() + idle.toNanos();
            }
        }
        return new Result(replayed, skipped);
    }
}
