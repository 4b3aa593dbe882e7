package io.imprint.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.imprint.contracts.EventType;
import io.imprint.contracts.Headers;
import io.imprint.contracts.Topics;
import io.imprint.contracts.events.CsrSubmittedV1;
import io.imprint.eventplane.KafkaTls;
import io.imprint.eventplane.SentRecords;
import io.imprint.pki.station.StationCredential;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * A factory station: collects CSRs from secure elements, publishes each as a signed submission and waits
 * for its certificate or rejection on its factory's results topic, the only one it may read. It connects
 * with its own credential (mutual TLS: the broker knows it as {@code station:<factory>/<station>}) and trusts
 * the broker because the service CA issued its certificate. It starts reading at the end of the results
 * topic before publishing, so no answer is missed and none from earlier runs is mistaken for one of this run.
 */
public final class StationClient implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final StationCredential credential;
    private final String factoryId;
    private final String stationId;
    private final KafkaProducer<String, byte[]> producer;
    private final KafkaConsumer<String, byte[]> answers;

    /** @param brokerCa the service CA's certificate, which issued the broker's */
    public StationClient(
            String bootstrapServers,
            StationCredential credential,
            X509Certificate brokerCa,
            String factoryId,
            String stationId) {
        this.credential = credential;
        this.factoryId = factoryId;
        this.stationId = stationId;
        Properties tls = KafkaTls.client(bootstrapServers, credential.key(), credential.chain(), brokerCa);
        Properties p = new Properties();
        p.putAll(tls);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        p.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        answers = resultsReader(tls, factoryId, stationId);
        producer = new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
    }

    /**
     * A reader of the factory's results topic with the station's TLS settings ({@code tls}), positioned at its
     * end so that only answers to what is published from now on are read; refused when the topic is missing.
     */
    public static KafkaConsumer<String, byte[]> resultsReader(Properties tls, String factoryId, String stationId) {
        Properties c = new Properties();
        c.putAll(tls);
        c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        KafkaConsumer<String, byte[]> reader =
                new KafkaConsumer<>(c, new StringDeserializer(), new ByteArrayDeserializer());
        String results = Topics.stationResults(factoryId);
        List<TopicPartition> partitions = new ArrayList<>();
        reader.partitionsFor(results, Duration.ofSeconds(30))
                .forEach(info -> partitions.add(new TopicPartition(results, info.partition())));
        if (partitions.isEmpty()) {
            reader.close();
            throw new IllegalStateException(results + " does not exist: grant the station access first"
                    + " (deploy/local/kafka.sh grant-station --factory " + factoryId + " --station " + stationId + ")");
        }
        reader.assign(partitions);
        reader.seekToEnd(partitions);
        partitions.forEach(reader::position);
        return reader;
    }

    /** Provisions each device and returns one result per device, in the order given. */
    public List<DeviceResult> provision(
            List<String> deviceIds, String orderId, SecureElementSimulator elements, Duration timeout) {
        // Collect every CSR first, as a station does from its secure elements, then publish: latency then
        // measures Imprint, not the simulated key generation.
        List<CsrSubmittedV1> submissions = deviceIds.stream()
                .map(deviceId -> {
                    SecureElementSimulator.Element element = elements.create(deviceId);
                    return new CsrSubmittedV1(
                            UUID.randomUUID().toString(),
                            deviceId,
                            factoryId,
                            stationId,
                            orderId,
                            Instant.now(),
                            element.csr(),
                            element.type(),
                            element.attestationChain());
                })
                .toList();
        Map<String, String> deviceOfRequest = new LinkedHashMap<>();
        Map<String, Long> sentAt = new HashMap<>();
        Map<String, DeviceResult> results = new LinkedHashMap<>();
        SentRecords sent = new SentRecords();
        for (CsrSubmittedV1 submission : submissions) {
            deviceOfRequest.put(submission.requestId(), submission.deviceId());
            sentAt.put(submission.requestId(), System.nanoTime());
            sent.add(producer.send(SignedSubmissions.record(submission, credential)));
        }
        producer.flush();
        try {
            sent.confirm(); // a refused publish (an expired grant, say) is reported as such, not as a timeout
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while publishing", e);
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        while (results.size() < deviceIds.size() && System.nanoTime() < deadline) {
            for (ConsumerRecord<String, byte[]> record : answers.poll(Duration.ofMillis(100))) {
                JsonNode answer = parse(record.value());
                String requestId = answer.path("requestId").asText();
                String deviceId = deviceOfRequest.get(requestId);
                String type = ceType(record);
                // a TPM submission's challenge is not an answer: this client submits no TPM evidence
                if (deviceId == null
                        || results.containsKey(deviceId)
                        || EventType.CSR_CHALLENGED.ceType().equals(type)) {
                    continue;
                }
                long latencyMs = (System.nanoTime() - sentAt.get(requestId)) / 1_000_000;
                boolean issued = EventType.CERT_ISSUED.ceType().equals(type);
                results.put(
                        deviceId,
                        new DeviceResult(
                                deviceId,
                                requestId,
                                issued ? DeviceResult.ISSUED : DeviceResult.REJECTED,
                                issued
                                        ? answer.path("serialNumber").asText()
                                        : answer.path("reason").asText() + ": "
                                                + answer.path("message").asText(),
                                latencyMs,
                                issued ? answer.path("certificate").asText() : null));
            }
        }
        List<DeviceResult> ordered = new ArrayList<>();
        deviceOfRequest.forEach((requestId, deviceId) -> ordered.add(results.getOrDefault(
                deviceId,
                new DeviceResult(
                        deviceId, requestId, DeviceResult.TIMED_OUT, "no answer within " + timeout, -1, null))));
        return ordered;
    }

    private static String ceType(ConsumerRecord<String, byte[]> record) {
        Header type = record.headers().lastHeader(Headers.CE_TYPE);
        return type == null ? null : new String(type.value(), StandardCharsets.UTF_8);
    }

    private static JsonNode parse(byte[] value) {
        try {
            return JSON.readTree(value);
        } catch (IOException e) {
            return JSON.createObjectNode();
        }
    }

    @Override
    public void close() {
        producer.close();
        answers.close();
    }
}
