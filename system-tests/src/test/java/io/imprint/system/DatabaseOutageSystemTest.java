package io.imprint.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.imprint.contracts.EventCodec;
import io.imprint.contracts.Headers;
import io.imprint.contracts.Topics;
import io.imprint.contracts.events.CertIssuedV1;
import io.imprint.contracts.events.CsrAcceptedV1;
import io.imprint.testing.Shell;
import io.imprint.testing.TestDatabase;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * PostgreSQL is stopped (immediate shutdown, as a crash) for 15 s in the middle of a 1,200-certificate burst
 * and started again: audit, fleet-registry and revocation wait the outage out on the record it hit and resume,
 * so each ends with exactly the burst's certificates and their dead-letter topics hold none of them. And what
 * does land on a dead-letter topic, an SRE puts back with {@code kafka.sh replay-dlq} once the cause is fixed.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DatabaseOutageSystemTest {
    private static final int BURST = 1_200;
    private static final Duration OUTAGE = Duration.ofSeconds(15);
    private static final String DATABASE = "imprint_db_outage";
    private static final List<String> DEAD_LETTERS = List.of(
            Topics.deadLetter(Topics.CERT_ISSUED, "audit"),
            Topics.deadLetter(Topics.CERT_ISSUED, "fleet-registry"),
            Topics.deadLetter(Topics.CERT_ISSUED, "revocation"));

    // The signer has no database; the three consumers of cert.issued do.
    private final Suite suite =
            new Suite("db-outage", 29592, 18580, Map.of("IMPRINT_SERVICES", "signer audit fleet-registry revocation"));

    @BeforeAll
    void start() {
        suite.start();
    }

    @AfterAll
    void stop() {
        // whatever happened, leave the database up for the tests after this one (it may be up already)
        Shell.run(suite.root, Map.of(), postgres("start"));
        suite.stop();
    }

    @Test
    void anOutageMidBurstIsWaitedOutAndNothingIsLostOrDeadLettered() throws Exception {
        String order = "outage-" + UUID.randomUUID();
        String devices = "outage" + UUID.randomUUID().toString().substring(0, 8);
        List<CsrAcceptedV1> burst = AcceptedBurst.make(order, devices, BURST);
        AcceptedBurst.publish(suite, burst, "/test/db-outage");
        long before = awaitAudited(order, 50, Duration.ofMinutes(2));
        assertTrue(before < BURST, "the outage must land mid-burst, but " + before + " were already audited");

        Shell.ok(suite.root, Map.of(), postgres("stop", "-m", "immediate").toArray(String[]::new));
        Thread.sleep(OUTAGE.toMillis());
        Shell.ok(suite.root, Map.of(), postgres("start").toArray(String[]::new));
        System.out.printf(
                "database outage: stopped for %d s with %d of %d audited%n", OUTAGE.toSeconds(), before, BURST);

        suite.awaitConsumersCaughtUp(Duration.ofMinutes(5));
        assertEquals(
                BURST,
                count(
                        "SELECT count(*) FROM audit.audit_record WHERE event_type = 'imprint.cert.issued' "
                                + "AND order_id = ?",
                        order),
                "audit");
        assertEquals(BURST, count("SELECT count(*) FROM fleet.device WHERE order_id = ?", order), "fleet-registry");
        assertEquals(
                BURST,
                count("SELECT count(*) FROM revocation.issued_certificate WHERE device_id LIKE ?", devices + "-%"),
                "revocation");
        Set<String> requests =
                new HashSet<>(burst.stream().map(CsrAcceptedV1::requestId).toList());
        assertEquals(0, deadLettered(requests), "dead-lettered records of the burst");
    }

    /**
     * An SRE replays a dead-letter topic with the documented command: a record dead-lettered for a failure
     * since fixed goes back to its topic and is consumed (idempotently: audited once), a quarantined one stays.
     */
    @Test
    void anSreReplaysDeadLettersAfterAFixAndQuarantinedRecordsStayWhereTheyAre() throws Exception {
        String order = "replay-" + UUID.randomUUID();
        List<CsrAcceptedV1> pair = AcceptedBurst.make(
                order, "replay" + UUID.randomUUID().toString().substring(0, 8), 2);
        AcceptedBurst.publish(suite, pair, "/test/dlq-replay");
        Set<String> ids =
                new HashSet<>(pair.stream().map(CsrAcceptedV1::requestId).toList());
        List<ConsumerRecord<String, byte[]>> issued = read(Topics.CERT_ISSUED, ids, 2);
        assertEquals(2, issued.size(), "both certificates issued");
        suite.awaitConsumersCaughtUp(Duration.ofMinutes(1));

        String deadLetters = Topics.deadLetter(Topics.CERT_ISSUED, "audit");
        try (KafkaProducer<String, byte[]> admin =
                new KafkaProducer<>(suite.clientAs("admin"), new StringSerializer(), new ByteArraySerializer())) {
            admin.send(deadLettered(deadLetters, issued.get(0), null)).get();
            admin.send(deadLettered(deadLetters, issued.get(1), "UNTRUSTED_SIGNATURE"))
                    .get();
        }
        String output = Shell.ok(
                suite.root,
                suite.env,
                "bash",
                "deploy/local/kafka.sh",
                "replay-dlq",
                "--topic",
                deadLetters,
                "--idle",
                "3");
        assertTrue(output.contains("replayed 1 records") && output.contains("1 quarantined"), output);

        List<ConsumerRecord<String, byte[]>> again = read(Topics.CERT_ISSUED, ids, 3);
        assertEquals(3, again.size(), "the replayed record is back on its topic, the quarantined one is not");
        suite.awaitConsumersCaughtUp(Duration.ofMinutes(1));
        assertEquals(
                2,
                count(
                        "SELECT count(*) FROM audit.audit_record WHERE event_type = 'imprint.cert.issued' "
                                + "AND order_id = ?",
                        order),
                "each certificate audited once, the replay included");
        assertEquals(2, deadLettered(ids), "only the two placed by hand: nothing of the pair dead-lettered again");
    }

    /** The record as a consumer's dead-letter queue holds it; a code marks it quarantined. */
    private static ProducerRecord<String, byte[]> deadLettered(
            String topic, ConsumerRecord<String, byte[]> original, String code) {
        ProducerRecord<String, byte[]> record = new ProducerRecord<>(topic, original.key(), original.value());
        original.headers().forEach(record.headers()::add);
        record.headers().add(Headers.DLQ_TOPIC, original.topic().getBytes(StandardCharsets.UTF_8));
        record.headers().add(Headers.DLQ_REASON, "deciding failed".getBytes(StandardCharsets.UTF_8));
        if (code != null) {
            record.headers().add(Headers.DLQ_CODE, code.getBytes(StandardCharsets.UTF_8));
        }
        return record;
    }

    /** Records of {@code topic} for the given requests, read committed from the start, until {@code until} are seen. */
    private List<ConsumerRecord<String, byte[]>> read(String topic, Set<String> requests, int until) {
        List<ConsumerRecord<String, byte[]>> found = new java.util.ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = suite.readFromBeginning("read_committed", List.of(topic))) {
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (found.size() < until && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    if (requests.contains(requestId(record.value()))) {
                        found.add(record);
                    }
                }
            }
        }
        return found;
    }

    /** Waits until at least {@code atLeast} of the order's certificates are audited; returns how many are. */
    private long awaitAudited(String order, long atLeast, Duration timeout) throws Exception {
        long end = System.nanoTime() + timeout.toNanos();
        long audited = 0;
        while (audited < atLeast && System.nanoTime() < end) {
            Thread.sleep(100);
            audited = count(
                    "SELECT count(*) FROM audit.audit_record WHERE event_type = 'imprint.cert.issued' "
                            + "AND order_id = ?",
                    order);
        }
        return audited;
    }

    private static long count(String sql, String parameter) throws SQLException {
        try (Connection db = TestDatabase.connect(DATABASE);
                PreparedStatement query = db.prepareStatement(sql)) {
            query.setString(1, parameter);
            try (ResultSet rows = query.executeQuery()) {
                rows.next();
                return rows.getLong(1);
            }
        }
    }

    /** Records of the burst on the three dead-letter topics, read as an SRE would. */
    private long deadLettered(Set<String> requests) {
        try (KafkaConsumer<String, byte[]> consumer = suite.readFromBeginning("read_uncommitted", DEAD_LETTERS)) {
            Set<TopicPartition> partitions = consumer.assignment();
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
            long found = 0;
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (partitions.stream().anyMatch(p -> consumer.position(p) < ends.get(p))
                    && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    if (requests.contains(requestId(record.value()))) {
                        found++;
                    }
                }
            }
            return found;
        }
    }

    private static String requestId(byte[] value) {
        try {
            return EventCodec.decode(value, CertIssuedV1.class).requestId();
        } catch (RuntimeException notAnEventOfOurs) {
            return null;
        }
    }

    /** The command for the installed Debian cluster that test.sh starts, as an operator would run it. */
    private static List<String> postgres(String action, String... options) {
        String version;
        try (Stream<Path> versions = Files.list(Path.of("/etc/postgresql"))) {
            version = versions.map(p -> p.getFileName().toString())
                    .max(Comparator.comparingInt(Integer::parseInt))
                    .orElseThrow(() -> new AssertionError("no PostgreSQL cluster in /etc/postgresql"));
        } catch (IOException e) {
            throw new AssertionError(
                    "this test stops and starts the installed PostgreSQL cluster (prereqs.sh "
                            + "--postgres-server); none is installed",
                    e);
        }
        List<String> command = new java.util.ArrayList<>(
                List.of("pg_ctlcluster", "--skip-systemctl-redirect", version, "main", action));
        command.addAll(List.of(options));
        return command;
    }
}
