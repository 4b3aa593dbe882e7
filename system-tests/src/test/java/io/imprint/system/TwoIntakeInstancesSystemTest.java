package io.imprint.system;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.imprint.contracts.EventCodec;
import io.imprint.contracts.ReasonCode;
import io.imprint.contracts.Topics;
import io.imprint.contracts.events.CsrRejectedV1;
import io.imprint.contracts.events.CsrSubmittedV1;
import io.imprint.eventplane.SentRecords;
import io.imprint.gateway.SignedSubmissions;
import io.imprint.pki.station.StationCredential;
import io.imprint.testing.TestSubmissions;
import io.imprint.testing.TestTopics;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Two csr-intake processes in one consumer group on one database, started by deploy/local/start-all.sh:
 * quotas and rate limits hold exactly across them while stations submit concurrently.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TwoIntakeInstancesSystemTest {
    private static final int QUANTITY = 200;
    private static final int OVER = 50;
    private static final int FACTORY_BURST = 30;
    private static final int PORT_BASE = 18180;
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A factory of this run only: its bucket barely refills, and the database outlives runs. */
    private final String limitedFactory =
            "factory-rl-" + UUID.randomUUID().toString().substring(0, 8);

    private final Suite suite = new Suite(
            "two-intakes",
            29192,
            PORT_BASE,
            Map.of(
                    "IMPRINT_SERVICES",
                    "csr-intake",
                    "IMPRINT_INTAKE_INSTANCES",
                    "2",
                    "IMPRINT_CSR_INTAKE_JAVA_OPTS",
                    "-Dimprint.intake.rate-limits.station-burst=100000"
                            + " -Dimprint.intake.rate-limits.factory-burst=100000"
                            + " -Dimprint.intake.rate-limits.factories." + limitedFactory + ".factory-burst="
                            + FACTORY_BURST
                            + " -Dimprint.intake.rate-limits.factories." + limitedFactory
                            + ".factory-per-second=0.001"));
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    void startTwoIntakes() {
        suite.start();
    }

    @AfterAll
    void stop() {
        suite.stop();
    }

    @Test
    void quotaHoldsExactlyAcrossTwoInstancesAndConcurrentStations() throws Exception {
        List<StationCredential> stations =
                List.of(suite.enrolStation("factory-q", "q-1"), suite.enrolStation("factory-q", "q-2"));
        String order = createOrder("factory-q", QUANTITY);
        List<CsrSubmittedV1> submitted = submitConcurrently(stations, order, QUANTITY + OVER);

        Map<String, ConsumerRecord<String, byte[]>> decisions = decisions(submitted);
        long accepted = decisions.values().stream()
                .filter(r -> r.topic().equals(Topics.CSR_ACCEPTED))
                .count();
        assertEquals(QUANTITY, accepted);
        List<CsrRejectedV1> rejected = rejections(decisions);
        assertEquals(OVER, rejected.size());
        rejected.forEach(r -> assertEquals(ReasonCode.QUOTA_EXHAUSTED, r.reason(), r.message()));
        JsonNode view = JSON.readTree(call("GET", "/orders/" + order, null).body());
        assertEquals(QUANTITY, view.get("acceptedCount").asInt());
        for (String instance : List.of("csr-intake", "csr-intake-2")) {
            assertTrue(decided(instance) > 0, instance + " decided part of the load: " + decided(instance));
        }
    }

    @Test
    void factoryRateLimitIsSharedByBothInstances() throws Exception {
        List<StationCredential> stations =
                List.of(suite.enrolStation(limitedFactory, "rl-1"), suite.enrolStation(limitedFactory, "rl-2"));
        String order = createOrder(limitedFactory, 1000);
        List<CsrSubmittedV1> submitted = submitConcurrently(stations, order, FACTORY_BURST + 10);
        Map<String, ConsumerRecord<String, byte[]>> decisions = decisions(submitted);
        assertEquals(
                FACTORY_BURST,
                decisions.values().stream()
                        .filter(r -> r.topic().equals(Topics.CSR_ACCEPTED))
                        .count());
        List<CsrRejectedV1> rejected = rejections(decisions);
        assertEquals(10, rejected.size());
        rejected.forEach(r -> assertEquals(ReasonCode.RATE_LIMITED, r.reason(), r.message()));
    }

    private List<CsrSubmittedV1> submitConcurrently(List<StationCredential> stations, String order, int total)
            throws InterruptedException, ExecutionException {
        List<CsrSubmittedV1> submitted = Collections.synchronizedList(new ArrayList<>());
        List<Callable<Void>> publishers = new ArrayList<>();
        for (int s = 0; s < stations.size(); s++) {
            StationCredential station = stations.get(s);
            int share = total / stations.size() + (s < total % stations.size() ? 1 : 0);
            // Every CSR is made before the first is sent, so both stations publish at full speed together.
            List<CsrSubmittedV1> batch = IntStream.range(0, share)
                    .mapToObj(i -> TestSubmissions.submission(station, "q-" + UUID.randomUUID(), order))
                    .toList();
            publishers.add(() -> {
                publish(suite.clientAs(station), station, batch, submitted);
                return null;
            });
        }
        ExecutorService pool = Executors.newFixedThreadPool(publishers.size());
        try {
            for (Future<Void> publisher : pool.invokeAll(publishers)) {
                publisher.get(); // a station whose records were not all written fails the test here
            }
        } finally {
            pool.shutdown();
        }
        assertEquals(total, submitted.size());
        return submitted;
    }

    /** Publishes as the station itself, over its own mutual-TLS connection. */
    private static void publish(
            Properties client, StationCredential station, List<CsrSubmittedV1> batch, List<CsrSubmittedV1> sent)
            throws InterruptedException {
        Properties props = new Properties();
        props.putAll(client);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        try (KafkaProducer<String, byte[]> producer =
                new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer())) {
            SentRecords written = new SentRecords();
            for (CsrSubmittedV1 submission : batch) {
                written.add(producer.send(SignedSubmissions.record(submission, station)));
                sent.add(submission);
            }
            producer.flush();
            written.confirm();
        }
    }

    private Map<String, ConsumerRecord<String, byte[]>> decisions(List<CsrSubmittedV1> submitted) {
        Set<String> ids = ConcurrentHashMap.newKeySet();
        submitted.forEach(s -> ids.add(s.requestId()));
        Map<String, ConsumerRecord<String, byte[]>> decisions = new HashMap<>();
        TestTopics.await(
                suite.clientAs("sre"),
                List.of(Topics.CSR_ACCEPTED, Topics.CSR_REJECTED),
                r -> {
                    String id = requestId(r.value());
                    if (!ids.contains(id)) {
                        return false;
                    }
                    // Intake is at least once: a record redelivered during a rebalance republishes its stored
                    // decision. A repeat is allowed; a different decision for the same request is not.
                    ConsumerRecord<String, byte[]> earlier = decisions.putIfAbsent(id, r);
                    if (earlier != null) {
                        assertEquals(earlier.topic(), r.topic(), "conflicting decisions for request " + id);
                        assertArrayEquals(earlier.value(), r.value(), "conflicting decisions for request " + id);
                        return false;
                    }
                    return true;
                },
                submitted.size(),
                Duration.ofMinutes(2));
        assertEquals(ids, decisions.keySet(), "a decision for every submission");
        return decisions;
    }

    private static String requestId(byte[] value) {
        try {
            return JSON.readTree(value).path("requestId").asText();
        } catch (IOException e) {
            return "";
        }
    }

    private static List<CsrRejectedV1> rejections(Map<String, ConsumerRecord<String, byte[]>> decisions) {
        return decisions.values().stream()
                .filter(r -> r.topic().equals(Topics.CSR_REJECTED))
                .map(r -> EventCodec.decode(r.value(), CsrRejectedV1.class))
                .toList();
    }

    private String createOrder(String factory, int quantity) throws Exception {
        String order = "po-" + UUID.randomUUID();
        HttpResponse<String> response = call(
                "POST",
                "/orders",
                JSON.writeValueAsString(Map.of(
                        "orderId",
                        order,
                        "factoryId",
                        factory,
                        "productModel",
                        "sensor-q",
                        "quantity",
                        quantity,
                        "notAfter",
                        Instant.now().plus(Duration.ofDays(1)).toString())));
        assertEquals(201, response.statusCode(), response.body());
        return order;
    }

    private HttpResponse<String> call(String method, String path, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(suite.operatorUrl("csr-intake", path)))
                .header("Content-Type", "application/json");
        request.method(
                method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        return suite.operatorClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Decisions one instance made, from its own Prometheus metrics. */
    private double decided(String instance) throws Exception {
        int port = instance.equals("csr-intake") ? PORT_BASE + 1 : PORT_BASE + 11;
        String metrics = http.send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/q/metrics"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString())
                .body();
        return metrics.lines()
                .filter(l -> l.startsWith("imprint_intake_decisions_total{"))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
                .sum();
    }
}
