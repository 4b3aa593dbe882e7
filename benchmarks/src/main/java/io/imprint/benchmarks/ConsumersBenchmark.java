package io.imprint.benchmarks;

import io.imprint.contracts.Topics;
import io.imprint.pki.signing.ServiceCredential;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * Whether audit and fleet-registry keep pace with the signer: a backlog of accepted requests, committed at once,
 * is drained by the signer while audit logs and fleet-registry registers (and announces) each certificate as it
 * is issued. From the commit, the clock notes when the signer has committed them all, when audit has logged them
 * all, when fleet-registry has registered them all and when their {@code device.state} events are all on the
 * topic; each rate is certificates over its own time, so a consumer that keeps pace ends within a poll of the
 * signer.
 */
final class ConsumersBenchmark {
    /** How often a burst asks whether each consumer is done. */
    private static final Duration POLL = Duration.ofMillis(250);

    private static final Pattern ISSUED = Pattern.compile("\"issued\":(\\d+)");
    private static final Pattern TOTAL = Pattern.compile("\"total\":(\\d+)");
    private static final Duration DEADLINE = Duration.ofMinutes(15);
    private final AcceptedRequests requests;
    private final HttpClient http = HttpClient.newHttpClient();
    private final String auditUrl;
    private final String fleetUrl;
    private int next;

    ConsumersBenchmark(int distinct, String auditUrl, String fleetUrl) {
        this.requests = new AcceptedRequests(distinct);
        this.auditUrl = auditUrl;
        this.fleetUrl = fleetUrl;
    }

    /** When each stage was done, in seconds after the commit, and the CPU each watched process spent. */
    record Finish(
            int certificates,
            double signer,
            double audit,
            double fleet,
            double fleetPublished,
            long auditBehindAtSignerEnd,
            long fleetBehindAtSignerEnd,
            Map<String, Duration> cpu) {}

    Finish burst(Properties client, ServiceCredential intake, int count, Map<String, ProcessHandle> watched) {
        Instant now = Instant.now();
        try (KafkaProducer<String, byte[]> producer = SignerBenchmark.producer(client);
                Admin admin = Admin.create(client)) {
            long audit0 = count(auditUrl + "/audit/summary", ISSUED);
            long fleet0 = count(fleetUrl + "/devices/stats", TOTAL);
            long states0 = endOffsets(admin, Topics.DEVICE_STATE);
            Map<TopicPartition, Long> ends = new ConcurrentHashMap<>();
            producer.initTransactions();
            producer.beginTransaction();
            for (int i = 0; i < count; i++) {
                ProducerRecord<String, byte[]> record = requests.record(next++, intake, now);
                // A failed send fails commitTransaction below, so its future need not be kept.
                Future<RecordMetadata> unused = producer.send(record, (sent, failure) -> {
                    if (sent != null) {
                        ends.merge(new TopicPartition(sent.topic(), sent.partition()), sent.offset() + 1, Math::max);
                    }
                });
            }
            producer.flush();
            Map<String, Duration> before = SignerBenchmark.cpu(watched);
            long start = System.nanoTime();
            producer.commitTransaction();
            double signer = -1;
            double audit = -1;
            double fleet = -1;
            double published = -1;
            long auditBehind = 0;
            long fleetBehind = 0;
            long deadline = start + DEADLINE.toNanos();
            while (published < 0 || audit < 0 || fleet < 0 || signer < 0) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException(
                            "the burst was not drained within " + DEADLINE.toMinutes() + " min");
                }
                double at = (System.nanoTime() - start) / 1e9;
                long audited = audit < 0 ? count(auditUrl + "/audit/summary", ISSUED) - audit0 : count;
                long registered = fleet < 0 ? count(fleetUrl + "/devices/stats", TOTAL) - fleet0 : count;
                if (signer < 0 && SignerBenchmark.signerCommitted(admin, ends)) {
                    signer = at;
                    auditBehind = count - audited;
                    fleetBehind = count - registered;
                }
                if (audit < 0 && audited >= count) {
                    audit = at;
                }
                if (fleet < 0 && registered >= count) {
                    fleet = at;
                }
                if (published < 0 && endOffsets(admin, Topics.DEVICE_STATE) - states0 >= count) {
                    published = at;
                }
                // Each round asks audit and fleet-registry for their counts (three count queries each): asked
                // every 20 ms, the questions alone took a tenth of audit's CPU. A quarter second costs the
                // figures at most 1% of a 25 s burst.
                sleep(POLL.toMillis());
            }
            Map<String, Duration> used = new LinkedHashMap<>();
            SignerBenchmark.cpu(watched).forEach((name, after) -> used.put(name, after.minus(before.get(name))));
            return new Finish(count, signer, audit, fleet, published, auditBehind, fleetBehind, used);
        }
    }

    private long count(String url, Pattern field) {
        try {
            HttpResponse<String> response =
                    http.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
            Matcher m = field.matcher(response.body());
            if (response.statusCode() != 200 || !m.find()) {
                throw new IllegalStateException(url + " answered " + response.statusCode() + ": " + response.body());
            }
            return Long.parseLong(m.group(1));
        } catch (IOException e) {
            throw new IllegalStateException(url + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /** Records on the topic so far: the sum of its partitions' end offsets (its producer is not transactional). */
    private static long endOffsets(Admin admin, String topic) {
        try {
            List<TopicPartition> partitions =
                    admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic).partitions().stream()
                            .map(p -> new TopicPartition(topic, p.partition()))
                            .toList();
            Map<TopicPartition, OffsetSpec> latest = new LinkedHashMap<>();
            partitions.forEach(p -> latest.put(p, OffsetSpec.latest()));
            return admin.listOffsets(latest).all().get().values().stream()
                    .mapToLong(info -> info.offset())
                    .sum();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException(
                    "cannot read " + topic + ": " + e.getCause().getMessage(), e);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
