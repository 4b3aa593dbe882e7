package io.imprint.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.imprint.contracts.EventType;
import io.imprint.contracts.Headers;
import io.imprint.contracts.events.CsrSubmittedV1;
import io.imprint.eventplane.KafkaTls;
import io.imprint.gateway.SecureElementSimulator;
import io.imprint.gateway.SignedSubmissions;
import io.imprint.gateway.StationClient;
import io.imprint.pki.station.StationCredential;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.IntStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.GroupListing;
import org.apache.kafka.clients.admin.ListGroupsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The whole flow under load, as factories drive it: many stations, each over its own mutual-TLS connection, publish
 * signed, attested submissions; every answer (certificate or rejection) is read from the factory's results topic,
 * and its latency taken from when the request was due. Open loop sends at a set rate whatever the answers do;
 * closed loop keeps a fixed number of requests in flight, which finds the rate the stack sustains. Each run
 * reports devices/s, latency percentiles, every consumer group's lag when the last answer came and how long the
 * groups took to catch up, and the CPU each process spent per device.
 */
final class EndToEndBenchmark implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration DRAIN = Duration.ofMinutes(5);

    record Station(String id, StationCredential credential) {}

    /** A device's secure element, read out before the clock runs. */
    private record Prepared(String deviceId, SecureElementSimulator.Element element) {}

    /** How far a group is behind, and on how many partitions (each may end in a marker it never consumes). */
    record GroupLag(long records, int partitions) {
        boolean caughtUp() {
            return records <= partitions;
        }
    }

    /** One run's figures. */
    record Run(
            String mode,
            double seconds,
            long sent,
            long issued,
            long rejected,
            LatencySeries series,
            Map<String, GroupLag> lagAtEnd,
            double caughtUpSeconds,
            Map<String, Duration> cpu) {
        double devicesPerSecond() {
            return issued / seconds;
        }
    }

    private final List<Station> stations;
    private final List<KafkaProducer<String, byte[]>> producers = new ArrayList<>();
    private final KafkaConsumer<String, byte[]> answers;
    private final Admin admin;
    private final String factoryId;
    private final String orderId;
    private final ConcurrentLinkedQueue<Prepared> elements = new ConcurrentLinkedQueue<>();
    private final Map<String, Long> dueAt = new ConcurrentHashMap<>();
    private final AtomicLong failedSends = new AtomicLong();
    private final String runId = Long.toString(System.currentTimeMillis(), 36);
    private final AtomicLong nextDevice = new AtomicLong();
    private volatile LatencySeries series;
    private volatile Semaphore window;
    private volatile boolean reading = true;
    private final Thread reader;

    EndToEndBenchmark(
            String bootstrap,
            List<Station> stations,
            X509Certificate brokerCa,
            Properties adminClient,
            String factoryId,
            String orderId) {
        this.stations = stations;
        this.factoryId = factoryId;
        this.orderId = orderId;
        for (Station station : stations) {
            Properties p = KafkaTls.client(
                    bootstrap, station.credential().key(), station.credential().chain(), brokerCa);
            p.put(ProducerConfig.ACKS_CONFIG, "all");
            p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
            p.put(ProducerConfig.LINGER_MS_CONFIG, "2");
            producers.add(new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer()));
        }
        Station first = stations.get(0);
        answers = StationClient.resultsReader(
                KafkaTls.client(
                        bootstrap, first.credential().key(), first.credential().chain(), brokerCa),
                factoryId,
                first.id());
        admin = Admin.create(adminClient);
        reader = new Thread(this::readAnswers, "answers");
        reader.start();
    }

    /** Makes {@code count} secure elements (keys, CSRs, attestation chains) before any clock runs. */
    void prepare(int count, SecureElementSimulator simulator) {
        IntStream.range(0, count).parallel().forEach(i -> {
            String deviceId = nextDeviceId();
            elements.add(new Prepared(deviceId, simulator.create(deviceId)));
        });
    }

    int prepared() {
        return elements.size();
    }

    /** Sends at {@code rate} devices/s for {@code length}, then waits for every answer. */
    Run openLoop(double rate, Duration length, Map<String, ProcessHandle> watched) {
        long count = Math.min(elements.size(), (long) (rate * length.toSeconds()));
        long period = (long) (1e9 / rate);
        return run(String.format("open loop at %.0f devices/s", rate), watched, start -> {
            for (long i = 0; i < count; i++) {
                long due = start + i * period;
                long wait = due - System.nanoTime();
                if (wait > 0) {
                    LockSupport.parkNanos(wait);
                }
                send(i, due);
            }
            return count;
        });
    }

    /** Keeps {@code inFlight} requests outstanding for {@code length}, then waits for every answer. */
    Run closedLoop(int inFlight, Duration length, Map<String, ProcessHandle> watched) {
        window = new Semaphore(inFlight);
        try {
            return run(String.format("closed loop, %d in flight", inFlight), watched, start -> {
                long end = start + length.toNanos();
                long sent = 0;
                while (System.nanoTime() < end && !elements.isEmpty()) {
                    if (window.tryAcquire(100, TimeUnit.MILLISECONDS)) {
                        send(sent++, System.nanoTime());
                    }
                }
                return sent;
            });
        } finally {
            window = null;
        }
    }

    private interface Load {
        long sendAll(long startNanos) throws InterruptedException;
    }

    private Run run(String mode, Map<String, ProcessHandle> watched, Load load) {
        Map<String, Duration> before = SignerBenchmark.cpu(watched);
        long start = System.nanoTime();
        series = new LatencySeries(start);
        long sent;
        try {
            sent = load.sendAll(start);
            long deadline = System.nanoTime() + DRAIN.toNanos();
            while (series.answered() < sent - failedSends.get() && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
        long end = System.nanoTime();
        Map<String, Duration> cpu = new LinkedHashMap<>();
        SignerBenchmark.cpu(watched).forEach((name, after) -> cpu.put(name, after.minus(before.get(name))));
        Map<String, GroupLag> lag = lag();
        double caughtUp = caughtUp(end);
        if (series.answered() < sent - failedSends.get()) {
            throw new IllegalStateException((sent - series.answered()) + " of " + sent + " requests unanswered after "
                    + DRAIN.toMinutes() + " min (" + failedSends.get() + " sends failed)");
        }
        long answered = series.answered();
        return new Run(
                mode,
                (end - start) / 1e9,
                sent,
                answered - series.rejected(),
                series.rejected(),
                series,
                lag,
                caughtUp,
                cpu);
    }

    private void send(long i, long due) {
        Prepared prepared = elements.poll();
        if (prepared == null) {
            return;
        }
        SecureElementSimulator.Element element = prepared.element();
        Station station = stations.get((int) (i % stations.size()));
        CsrSubmittedV1 submission = new CsrSubmittedV1(
                UUID.randomUUID().toString(),
                prepared.deviceId(),
                factoryId,
                station.id(),
                orderId,
                Instant.now(),
                element.csr(),
                element.type(),
                element.attestationChain());
        dueAt.put(submission.requestId(), due);
        series.sent(due);
        // A failed send is counted in the callback, so its future need not be kept.
        Future<RecordMetadata> unused = producers
                .get((int) (i % stations.size()))
                .send(SignedSubmissions.record(submission, station.credential()), (metadata, failure) -> {
                    if (failure != null && dueAt.remove(submission.requestId()) != null) {
                        failedSends.incrementAndGet();
                        Semaphore open = window;
                        if (open != null) {
                            open.release();
                        }
                    }
                });
    }

    private void readAnswers() {
        while (reading) {
            for (ConsumerRecord<String, byte[]> record : answers.poll(Duration.ofMillis(50))) {
                long now = System.nanoTime();
                String type = ceType(record);
                if (EventType.CSR_CHALLENGED.ceType().equals(type)) {
                    continue;
                }
                Long due = dueAt.remove(requestId(record.value()));
                if (due == null) {
                    continue;
                }
                series.answered(due, now, EventType.CERT_ISSUED.ceType().equals(type));
                Semaphore open = window;
                if (open != null) {
                    open.release();
                }
            }
        }
    }

    /** Every consumer group's lag now. */
    Map<String, GroupLag> lag() {
        Map<String, GroupLag> lag = new LinkedHashMap<>();
        try {
            Collection<GroupListing> groups = admin.listGroups(ListGroupsOptions.forConsumerGroups())
                    .all()
                    .get();
            for (GroupListing group : groups) {
                Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group.groupId())
                        .partitionsToOffsetAndMetadata()
                        .get();
                Map<TopicPartition, OffsetSpec> latest = new LinkedHashMap<>();
                committed.keySet().forEach(p -> latest.put(p, OffsetSpec.latest()));
                var ends = admin.listOffsets(latest).all().get();
                long behind = 0;
                for (var entry : committed.entrySet()) {
                    if (entry.getValue() != null && ends.containsKey(entry.getKey())) {
                        behind += Math.max(
                                0,
                                ends.get(entry.getKey()).offset()
                                        - entry.getValue().offset());
                    }
                }
                lag.put(group.groupId(), new GroupLag(behind, committed.size()));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException(
                    "cannot read consumer groups: " + e.getCause().getMessage(), e);
        }
        return lag;
    }

    /** Seconds after {@code endNanos} until every group has caught up; -1 if not within {@link #DRAIN}. */
    private double caughtUp(long endNanos) {
        long deadline = endNanos + DRAIN.toNanos();
        while (System.nanoTime() < deadline) {
            if (lag().values().stream().allMatch(GroupLag::caughtUp)) {
                return (System.nanoTime() - endNanos) / 1e9;
            }
            LockSupport.parkNanos(Duration.ofMillis(250).toNanos());
        }
        return -1;
    }

    private String nextDeviceId() {
        return String.format("load-%s-%06d", runId, nextDevice.incrementAndGet());
    }

    private static String ceType(ConsumerRecord<String, byte[]> record) {
        Header type = record.headers().lastHeader(Headers.CE_TYPE);
        return type == null ? null : new String(type.value(), StandardCharsets.UTF_8);
    }

    private static String requestId(byte[] value) {
        try {
            JsonNode node = JSON.readTree(value);
            return node.path("requestId").asText();
        } catch (IOException e) {
            return "";
        }
    }

    @Override
    public void close() {
        reading = false;
        try {
            reader.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        producers.forEach(KafkaProducer::close);
        answers.close();
        admin.close();
    }
}
