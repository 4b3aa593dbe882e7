package io.imprint.system;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.imprint.contracts.EventCodec;
import io.imprint.contracts.Topics;
import io.imprint.contracts.events.CertIssuedV1;
import io.imprint.contracts.events.CsrAcceptedV1;
import io.imprint.pki.Pem;
import io.imprint.testing.Shell;
import java.nio.file.Files;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The signer is killed with SIGKILL in the middle of a 2,000-request burst and started again: a
 * read-committed consumer sees exactly one {@code cert.issued} per request, none missing, and no request
 * was ever signed into two different certificates, not even in the transactions the crash aborted.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SignerCrashSystemTest {
    private static final int BURST = 2_000;
    private static final Duration DEADLINE = Duration.ofMinutes(3);

    // Small batches, so the burst spans many transactions and the kill lands between and inside them.
    private final Suite suite =
            new Suite("signer-crash", 29392, 18380, Map.of("IMPRINT_SERVICES", "signer", "IMPRINT_SIGNER_BATCH", "50"));

    @BeforeAll
    void start() {
        suite.start();
    }

    @AfterAll
    void stop() {
        suite.stop();
    }

    @Test
    void killNineMidBurstLosesAndDuplicatesNothing() throws Exception {
        String order = "crash-" + UUID.randomUUID();
        List<CsrAcceptedV1> burst = AcceptedBurst.make(order, "crash", BURST);
        AcceptedBurst.publish(suite, burst, "/test/signer-crash");
        Set<String> requests =
                new HashSet<>(burst.stream().map(CsrAcceptedV1::requestId).toList());

        try (KafkaConsumer<String, byte[]> committed = consumer("read_committed")) {
            Map<String, Integer> seen = new HashMap<>();
            read(committed, requests, seen, 1, DEADLINE);
            String pid = Files.readString(suite.work.resolve("pids/signer.pid")).strip();
            Shell.ok(suite.root, Map.of(), "kill", "-9", pid);
            int atKill = seen.size();
            assertTrue(atKill < BURST, "the kill must land mid-burst, but all " + atKill + " were already issued");
            System.out.printf("signer crash: killed with %d of %d requests committed%n", atKill, BURST);

            suite.start();
            read(committed, requests, seen, BURST, DEADLINE);
            // Anything a duplicate would add arrives with or shortly after the last request; keep reading.
            read(committed, requests, seen, BURST + 1, Duration.ofSeconds(5));

            assertEquals(BURST, seen.size(), "every request has a certificate");
            List<String> duplicated = seen.entrySet().stream()
                    .filter(e -> e.getValue() != 1)
                    .map(Map.Entry::getKey)
                    .toList();
            assertEquals(List.of(), duplicated, "one cert.issued per request (killed after " + atKill + ")");
        }
        sameCertificateEvenInAbortedTransactions(requests);
    }

    /** Read uncommitted, the aborted transactions show too: each request's certificates share one TBS. */
    private void sameCertificateEvenInAbortedTransactions(Set<String> requests) throws Exception {
        Map<String, byte[]> tbsByRequest = new HashMap<>();
        int records = 0;
        try (KafkaConsumer<String, byte[]> all = consumer("read_uncommitted")) {
            long end = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (tbsByRequest.size() < requests.size() && System.nanoTime() < end) {
                for (ConsumerRecord<String, byte[]> record : all.poll(Duration.ofMillis(500))) {
                    CertIssuedV1 issued = EventCodec.decode(record.value(), CertIssuedV1.class);
                    if (!requests.contains(issued.requestId())) {
                        continue;
                    }
                    records++;
                    X509Certificate certificate =
                            Pem.certificates(issued.certificate()).get(0);
                    byte[] earlier = tbsByRequest.putIfAbsent(issued.requestId(), certificate.getTBSCertificate());
                    if (earlier != null) {
                        assertArrayEquals(
                                earlier,
                                certificate.getTBSCertificate(),
                                "request " + issued.requestId() + " was signed into two different certificates");
                    }
                }
            }
        }
        assertEquals(requests.size(), tbsByRequest.size());
        System.out.printf(
                "signer crash: %d cert.issued records including aborted ones, for %d requests%n",
                records, requests.size());
    }

    private static void read(
            KafkaConsumer<String, byte[]> consumer,
            Set<String> requests,
            Map<String, Integer> seen,
            int until,
            Duration timeout) {
        long end = System.nanoTime() + timeout.toNanos();
        while (seen.size() < until && System.nanoTime() < end) {
            for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                String requestId =
                        EventCodec.decode(record.value(), CertIssuedV1.class).requestId();
                if (requests.contains(requestId)) {
                    seen.merge(requestId, 1, Integer::sum);
                }
            }
        }
    }

    private KafkaConsumer<String, byte[]> consumer(String isolation) {
        return suite.readFromBeginning(isolation, List.of(Topics.CERT_ISSUED));
    }
}
