package io.imprint.benchmarks;

import io.imprint.contracts.EventCodec;
import io.imprint.contracts.Topics;
import io.imprint.contracts.events.CertIssuedV1;
import io.imprint.pki.Serials;
import io.imprint.pki.csr.CsrValidator;
import io.imprint.pki.issuance.CertificateProfile;
import io.imprint.pki.issuance.DeviceCertificateIssuer;
import io.imprint.pki.keys.KeyBackend;
import io.imprint.pki.keys.SigningPool;
import io.imprint.pki.signing.ServiceCredential;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The three figures of the signer benchmark, on one machine and token in one run:
 * (a) the raw per-certificate bound: CSR verify, build, lint, PKCS#11 sign and post-sign verify in
 * a plain loop, with as many threads as the signer has sessions, no Kafka; (b) the signer process from
 * {@code csr.accepted} committed to {@code cert.issued} committed, draining a backlog of requests;
 * (c) {@code cfssl serve} signing the same kind of CSR over its HTTP API with a software key.
 */
final class SignerBenchmark {
    /**
     * Every figure is taken in steady state, after the JIT has compiled the hot paths: the signer process
     * has twice the code of the raw loop to compile (Kafka client, SmallRye, Jackson), and a short warm-up
     * charged it about 40% of its CPU for compilation.
     */
    private static final Duration WARM_UP = Duration.ofSeconds(10);
    /** Bursts of (b) repeat until two in a row agree within 5%: the signer's JIT has settled. */
    private static final int MIN_WARM_UP_BURSTS = 3;

    private static final int MAX_WARM_UP_BURSTS = 8;
    private static final Duration MEASURE = Duration.ofSeconds(10);
    /** The signer's consumer group on csr.accepted (its application.properties). */
    private static final String SIGNER_GROUP = "imprint-signer";

    private final AcceptedRequests requests;

    SignerBenchmark(int distinct) {
        requests = new AcceptedRequests(distinct);
    }

    /** (a): the same pki calls the signer makes per request, in {@code threads} threads, for a fixed time. */
    double rawLoop(KeyBackend token, String issuingCa, int threads) throws InterruptedException {
        SigningPool pool = new SigningPool(token, issuingCa, threads);
        CertificateProfile profile = new CertificateProfile(
                "idevid", null, URI.create("http://127.0.0.1/crl"), URI.create("http://127.0.0.1/ocsp"));
        // One validator and one issuer shared by all threads, as the signer shares them.
        CsrValidator validator = new CsrValidator();
        DeviceCertificateIssuer issuer = new DeviceCertificateIssuer();
        return timed(threads, i -> {
            var csr = validator.validate(requests.csr(i), requests.device(i));
            issuer.issue(csr, pool, profile, Serials.random(), Instant.now());
        });
    }

    /**
     * (b): publishes {@code requests} at once and waits until the signer has committed them all; returns per
     * second. Unmeasured rounds of as many first warm the signer's JIT, as (a) and (c) warm up too.
     */
    double signerProcess(Properties client, ServiceCredential intake, int requests) {
        return signerProcess(client, intake, requests, Map.of());
    }

    /**
     * As {@link #signerProcess(Properties, ServiceCredential, int)}, and prints the CPU time per certificate that each named process
     * (and this load generator) spent during the measured burst: where the machine's cores went.
     */
    double signerProcess(Properties client, ServiceCredential intake, int requests, Map<String, Long> processes) {
        double previous = 0;
        for (int round = 1; round <= MAX_WARM_UP_BURSTS; round++) {
            double rate = burst(client, intake, requests, Map.of()).rate();
            System.out.printf("    warm-up burst %d of (b): %.0f certificates/s%n", round, rate);
            if (round >= MIN_WARM_UP_BURSTS && Math.abs(rate - previous) < 0.05 * rate) {
                break;
            }
            previous = rate;
        }
        Map<String, ProcessHandle> watched = new LinkedHashMap<>();
        processes.forEach((name, pid) -> ProcessHandle.of(pid).ifPresent(handle -> watched.put(name, handle)));
        watched.put("load generator", ProcessHandle.current());
        System.out.printf("    measuring (b): %d requests%n", requests);
        Burst measured = burst(client, intake, requests, watched);
        StringBuilder line = new StringBuilder("    CPU per certificate during (b):");
        measured.cpu()
                .forEach((name, used) ->
                        line.append(String.format(" %s %.0f us,", name, used.toNanos() / 1e3 / requests)));
        System.out.println(line.substring(0, line.length() - 1));
        return measured.rate();
    }

    /** Certificates per second, and the CPU time each watched process spent while they were signed. */
    private record Burst(double rate, Map<String, Duration> cpu) {}

    /** CPU time so far of each process with its children (PostgreSQL's work is done by its backends). */
    static Map<String, Duration> cpu(Map<String, ProcessHandle> processes) {
        Map<String, Duration> used = new LinkedHashMap<>();
        processes.forEach((name, handle) -> used.put(
                name,
                Stream.concat(Stream.of(handle), handle.descendants())
                        .map(p -> p.info().totalCpuDuration().orElse(Duration.ZERO))
                        .reduce(Duration.ZERO, Duration::plus)));
        return used;
    }

    /**
     * The requests are published in one Kafka transaction: the signer reads committed only, so it sees none
     * until the commit, and then a backlog of all of them. The clock runs from that commit until the signer's
     * committed offsets on {@code csr.accepted} pass the last request (it commits them in the transaction
     * that commits the certificates). Only then are the {@code cert.issued} events read back (read-committed)
     * and checked, one per request. So the clock measures the signer draining a saturating backlog, and
     * neither publishing 26 MB of requests nor reading back 60 MB of certificates loads the two cores the
     * signer and broker share while it runs; in production, gateways, intake and consumers run elsewhere.
     */
    private Burst burst(Properties client, ServiceCredential intake, int requests, Map<String, ProcessHandle> watched) {
        List<ProducerRecord<String, byte[]>> records = new ArrayList<>(requests);
        Set<String> ids = new HashSet<>();
        Instant now = Instant.now();
        for (int i = 0; i < requests; i++) {
            ProducerRecord<String, byte[]> record = this.requests.record(i, intake, now);
            ids.add(AcceptedRequests.requestId(record));
            records.add(record);
        }
        try (KafkaConsumer<String, byte[]> issued = committedReader(client);
                KafkaProducer<String, byte[]> producer = producer(client);
                Admin admin = Admin.create(client)) {
            Map<TopicPartition, Long> ends = new ConcurrentHashMap<>();
            producer.initTransactions();
            producer.beginTransaction();
            for (ProducerRecord<String, byte[]> record : records) {
                // A failed send fails commitTransaction below, so its future need not be kept.
                Future<RecordMetadata> unused = producer.send(record, (sent, failure) -> {
                    if (sent != null) {
                        ends.merge(new TopicPartition(sent.topic(), sent.partition()), sent.offset() + 1, Math::max);
                    }
                });
            }
            producer.flush();
            Map<String, Duration> cpuBefore = cpu(watched);
            long start = System.nanoTime();
            producer.commitTransaction();
            awaitCommitted(admin, ends, start + Duration.ofMinutes(10).toNanos());
            double rate = requests / ((System.nanoTime() - start) / 1e9);
            Map<String, Duration> used = new LinkedHashMap<>();
            cpu(watched).forEach((name, after) -> used.put(name, after.minus(cpuBefore.get(name))));
            int seen = countIssued(issued, ids);
            if (seen != requests) {
                throw new IllegalStateException(seen + " committed cert.issued events for " + requests + " requests");
            }
            return new Burst(rate, used);
        }
    }

    /** Polls the signer group's committed offsets until they reach {@code ends} on every partition. */
    private static void awaitCommitted(Admin admin, Map<TopicPartition, Long> ends, long deadline) {
        while (System.nanoTime() < deadline) {
            if (signerCommitted(admin, ends)) {
                return;
            }
            try {
                Thread.sleep(25);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            }
        }
        throw new IllegalStateException("the signer did not commit the burst within 10 minutes");
    }

    /** Whether the signer group's committed offsets reach {@code ends} on every partition. */
    static boolean signerCommitted(Admin admin, Map<TopicPartition, Long> ends) {
        try {
            Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(SIGNER_GROUP)
                    .partitionsToOffsetAndMetadata()
                    .get();
            return ends.entrySet().stream()
                    .allMatch(end -> committed.get(end.getKey()) != null
                            && committed.get(end.getKey()).offset() >= end.getValue());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException(
                    "cannot read the signer's offsets: " + e.getCause().getMessage(), e);
        }
    }

    /** Reads committed cert.issued events until one per request id has been seen, or a poll finds none. */
    private static int countIssued(KafkaConsumer<String, byte[]> issued, Set<String> ids) {
        Set<String> seen = new HashSet<>();
        int duplicates = 0;
        while (seen.size() < ids.size()) {
            var polled = issued.poll(Duration.ofSeconds(5));
            if (polled.isEmpty()) {
                break;
            }
            for (ConsumerRecord<String, byte[]> record : polled) {
                String id =
                        EventCodec.decode(record.value(), CertIssuedV1.class).requestId();
                if (ids.contains(id) && !seen.add(id)) {
                    duplicates++;
                }
            }
        }
        if (duplicates > 0) {
            throw new IllegalStateException(duplicates + " requests got a second committed cert.issued");
        }
        return seen.size();
    }

    /** (c): cfssl's /api/v1/cfssl/sign from {@code threads} threads, for a fixed time. */
    double cfssl(String url, int threads) throws InterruptedException {
        HttpClient http =
                HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        return timed(threads, i -> {
            String body = "{\"certificate_request\":" + json(requests.csr(i)) + "}";
            HttpRequest request = HttpRequest.newBuilder(URI.create(url + "/api/v1/cfssl/sign"))
                    .POST(HttpRequest.BodyPublishers.ofString(body))
                    .build();
            HttpResponse<String> response;
            try {
                response = http.send(request, HttpResponse.BodyHandlers.ofString());
            } catch (IOException closed) {
                // A kept-alive connection cfssl closed just as it was reused: signing is stateless, send again.
                response = http.send(request, HttpResponse.BodyHandlers.ofString());
            }
            if (response.statusCode() != 200 || !response.body().contains("\"success\":true")) {
                throw new IllegalStateException("cfssl answered " + response.statusCode() + ": " + response.body());
            }
        });
    }

    private interface Operation {
        void run(int i) throws Exception;
    }

    /** Runs {@code operation} in {@code threads} threads; counts completions after the warm-up, per second. */
    private static double timed(int threads, Operation operation) throws InterruptedException {
        AtomicInteger next = new AtomicInteger();
        AtomicLong counted = new AtomicLong();
        long measureFrom = System.nanoTime() + WARM_UP.toNanos();
        long end = measureFrom + MEASURE.toNanos();
        List<Thread> workers = new ArrayList<>();
        List<Throwable> failures = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            Thread worker = new Thread(() -> {
                try {
                    long now;
                    while ((now = System.nanoTime()) < end) {
                        operation.run(next.getAndIncrement());
                        if (now >= measureFrom) {
                            counted.incrementAndGet();
                        }
                    }
                } catch (Exception e) {
                    synchronized (failures) {
                        failures.add(e);
                    }
                }
            });
            workers.add(worker);
            worker.start();
        }
        for (Thread worker : workers) {
            worker.join();
        }
        if (!failures.isEmpty()) {
            throw new IllegalStateException(
                    "benchmark operation failed: " + failures.get(0).getMessage(), failures.get(0));
        }
        return counted.get() / (MEASURE.toNanos() / 1e9);
    }

    private static String json(String text) {
        return "\"" + text.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n") + "\"";
    }

    static KafkaProducer<String, byte[]> producer(Properties client) {
        Properties p = new Properties();
        p.putAll(client);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.LINGER_MS_CONFIG, "20");
        p.put(ProducerConfig.BATCH_SIZE_CONFIG, String.valueOf(1 << 20));
        p.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "imprint-bench-load");
        return new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
    }

    private static KafkaConsumer<String, byte[]> committedReader(Properties client) {
        Properties c = new Properties();
        c.putAll(client);
        c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        c.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "5000");
        KafkaConsumer<String, byte[]> consumer =
                new KafkaConsumer<>(c, new StringDeserializer(), new ByteArrayDeserializer());
        List<TopicPartition> partitions = consumer.partitionsFor(Topics.CERT_ISSUED, Duration.ofSeconds(30)).stream()
                .map(info -> new TopicPartition(Topics.CERT_ISSUED, info.partition()))
                .toList();
        consumer.assign(partitions);
        consumer.seekToEnd(partitions);
        partitions.forEach(consumer::position); // fix the start before anything is published
        return consumer;
    }
}
