package io.imprint.benchmarks;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.imprint.contracts.Topics;
import io.imprint.contracts.events.CsrSubmittedV1;
import io.imprint.eventplane.SentRecords;
import io.imprint.gateway.SecureElementSimulator;
import io.imprint.gateway.SignedSubmissions;
import io.imprint.pki.VerifyingProvider;
import io.imprint.pki.csr.SignatureVerifier;
import io.imprint.pki.keys.EcKeys;
import io.imprint.pki.signing.RecordSignatures;
import io.imprint.pki.station.StationCredential;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Intake throughput with every check on, against the raw ECDSA P-256 verify rate of the same machine as
 * baseline. Submissions (attested, signed) are all made first; the clock runs from the first publish to
 * the last decision read from csr.accepted / csr.rejected.
 */
final class IntakeBenchmark {
    private static final ObjectMapper JSON = new ObjectMapper();

    private IntakeBenchmark() {}

    /**
     * ECDSA P-256 (SHA-256) verifications per second through the services' own verifier (strict encoding check,
     * then {@code provider}), on {@code threads} threads.
     */
    static double rawVerifyRate(VerifyingProvider provider, int threads, Duration duration)
            throws InterruptedException {
        AtomicLong count = new AtomicLong();
        long end = System.nanoTime() + duration.toNanos();
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            workers.add(new Thread(() -> {
                KeyPair key = EcKeys.p256();
                byte[] message =
                        "an intake record of about this size".repeat(20).getBytes(StandardCharsets.UTF_8);
                byte[] signature = RecordSignatures.sign(key.getPrivate(), message);
                while (System.nanoTime() < end) {
                    if (!SignatureVerifier.verify(
                            RecordSignatures.ALGORITHM, key.getPublic(), message, signature, provider)) {
                        throw new IllegalStateException("verify failed");
                    }
                    count.incrementAndGet();
                }
            }));
        }
        long start = System.nanoTime();
        workers.forEach(Thread::start);
        for (Thread w : workers) {
            w.join();
        }
        return count.get() / ((System.nanoTime() - start) / 1e9);
    }

    /** Decisions per second for {@code submissions}, and how many were accepted. */
    record Result(int requests, long accepted, double seconds) {
        double perSecond() {
            return requests / seconds;
        }
    }

    /**
     * Publishes as the station, and reads intake's decisions ({@code csr.accepted}, {@code csr.rejected}) with
     * {@code reader}'s settings (an SRE's identity: stations may not read them), so intake alone is measured.
     */
    static Result run(
            Properties station,
            Properties reader,
            StationCredential credential,
            List<CsrSubmittedV1> submissions,
            Duration timeout)
            throws InterruptedException {
        Properties p = new Properties();
        p.putAll(station);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        Properties c = new Properties();
        c.putAll(reader);
        c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        Map<String, ProducerRecord<String, byte[]>> records = new LinkedHashMap<>();
        for (CsrSubmittedV1 submission : submissions) {
            records.put(submission.requestId(), SignedSubmissions.record(submission, credential));
        }
        try (KafkaProducer<String, byte[]> producer =
                        new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
                KafkaConsumer<String, byte[]> consumer =
                        new KafkaConsumer<>(c, new StringDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = new ArrayList<>();
            for (String topic : List.of(Topics.CSR_ACCEPTED, Topics.CSR_REJECTED)) {
                consumer.partitionsFor(topic).forEach(i -> partitions.add(new TopicPartition(topic, i.partition())));
            }
            consumer.assign(partitions);
            consumer.seekToEnd(partitions);
            partitions.forEach(consumer::position);
            Set<String> pending = new HashSet<>(records.keySet());
            long accepted = 0;
            long start = System.nanoTime();
            SentRecords sent = new SentRecords();
            records.values().forEach(record -> sent.add(producer.send(record)));
            producer.flush();
            sent.confirm();
            long deadline = start + timeout.toNanos();
            while (!pending.isEmpty() && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(50))) {
                    if (pending.remove(requestId(r.value())) && r.topic().equals(Topics.CSR_ACCEPTED)) {
                        accepted++;
                    }
                }
            }
            if (!pending.isEmpty()) {
                throw new IllegalStateException(pending.size() + " requests undecided after " + timeout);
            }
            return new Result(records.size(), accepted, (System.nanoTime() - start) / 1e9);
        }
    }

    static List<CsrSubmittedV1> submissions(
            int count, String prefix, String factory, String stationId, String order, SecureElementSimulator elements) {
        List<CsrSubmittedV1> list = new ArrayList<>();
        for (int i = 1; i <= count; i++) {
            String device = String.format("%s-%06d", prefix, i);
            SecureElementSimulator.Element element = elements.create(device);
            list.add(new CsrSubmittedV1(
                    UUID.randomUUID().toString(),
                    device,
                    factory,
                    stationId,
                    order,
                    Instant.now(),
                    element.csr(),
                    element.type(),
                    element.attestationChain()));
        }
        return list;
    }

    private static String requestId(byte[] value) {
        try {
            return JSON.readTree(value).path("requestId").asText();
        } catch (IOException e) {
            return "";
        }
    }
}
