package io.imprint.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.imprint.contracts.EventCodec;
import io.imprint.contracts.Topics;
import io.imprint.contracts.events.CertIssuedV1;
import io.imprint.contracts.events.CertRevokedV1;
import io.imprint.contracts.events.CrlSignRequestedV1;
import io.imprint.contracts.events.CsrAcceptedV1;
import io.imprint.testing.Shell;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * revocation is killed with SIGKILL after it committed a revocation and before its outbox relay sent anything (the
 * relay is held back for an hour in the first run). Started again with its usual settings, it sends that
 * revocation's {@code cert.revoked} exactly once, with the request id the operator was answered, and a CRL request
 * that lists the serial.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RevocationCrashSystemTest {
    private static final String RELAY_HELD =
            "-Dimprint.revocation.outbox-interval=PT1H -Dimprint.revocation.outbox-sweep=PT1H";
    private static final Duration WAIT = Duration.ofSeconds(60);

    private final Suite suite = new Suite(
            "revocation-crash",
            29692,
            18680,
            Map.of("IMPRINT_SERVICES", "signer revocation", "IMPRINT_REVOCATION_JAVA_OPTS", RELAY_HELD));

    @BeforeAll
    void start() {
        suite.start();
    }

    @AfterAll
    void stop() {
        suite.stop();
    }

    @Test
    void aRevocationCommittedJustBeforeACrashIsAnnouncedOnceAfterTheRestart() throws Exception {
        List<CsrAcceptedV1> one = AcceptedBurst.make("revocation-crash-" + UUID.randomUUID(), "rcrash", 1);
        AcceptedBurst.publish(suite, one, "/test/revocation-crash");
        List<ConsumerRecord<String, byte[]>> certificate;
        try (KafkaConsumer<String, byte[]> issued =
                suite.readFromBeginning("read_committed", List.of(Topics.CERT_ISSUED))) {
            certificate = read(
                    issued,
                    r -> EventCodec.decode(r.value(), CertIssuedV1.class)
                            .requestId()
                            .equals(one.get(0).requestId()),
                    1,
                    WAIT);
        }
        assertEquals(1, certificate.size(), "the signer issued the certificate");
        String serial = EventCodec.decode(certificate.get(0).value(), CertIssuedV1.class)
                .serialNumber();

        HttpResponse<String> answer = revoke(serial);
        assertEquals(201, answer.statusCode(), answer.body());
        String requestId = answer.body().replaceAll(".*\"requestId\":\"([^\"]+)\".*", "$1");
        assertTrue(answer.body().contains("\"comment\":\"INC-7 crash test\""), answer.body());

        try (KafkaConsumer<String, byte[]> revoked =
                suite.readFromBeginning("read_committed", List.of(Topics.CERT_REVOKED))) {
            Predicate<ConsumerRecord<String, byte[]>> ofSerial = r -> EventCodec.decode(r.value(), CertRevokedV1.class)
                    .serialNumber()
                    .equals(serial);
            assertEquals(
                    0, read(revoked, ofSerial, 1, Duration.ofSeconds(3)).size(), "the relay is held: nothing is sent");

            String pid =
                    Files.readString(suite.work.resolve("pids/revocation.pid")).strip();
            Shell.ok(suite.root, Map.of(), "kill", "-9", pid);
            suite.start(Map.of("IMPRINT_REVOCATION_JAVA_OPTS", ""));

            List<ConsumerRecord<String, byte[]>> sent = read(revoked, ofSerial, 1, WAIT);
            // A second copy would follow the first closely; keep reading a while.
            sent.addAll(read(revoked, ofSerial, 1, Duration.ofSeconds(5)));
            assertEquals(1, sent.size(), "one cert.revoked for the revocation committed before the crash");
            CertRevokedV1 event = EventCodec.decode(sent.get(0).value(), CertRevokedV1.class);
            assertEquals(requestId, event.requestId());
            assertEquals("INC-7 crash test", event.comment());
        }
        try (KafkaConsumer<String, byte[]> crls =
                suite.readFromBeginning("read_committed", List.of(Topics.CRL_SIGN_REQUESTED))) {
            assertEquals(
                    1,
                    read(
                                    crls,
                                    r -> EventCodec.decode(r.value(), CrlSignRequestedV1.class).entries().stream()
                                            .anyMatch(e -> e.serialNumber().equals(serial)),
                                    1,
                                    WAIT)
                            .size(),
                    "a CRL request lists the serial");
        }
    }

    private HttpResponse<String> revoke(String serial) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(suite.operatorUrl("revocation", "/revocations")))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"serialNumber\":\"" + serial
                        + "\",\"reason\":\"KEY_COMPROMISE\",\"comment\":\"INC-7 crash test\"}"))
                .build();
        return suite.operatorClient().send(request, HttpResponse.BodyHandlers.ofString());
    }

    /** Up to {@code count} records matching, read until there are as many or the timeout passes. */
    private static List<ConsumerRecord<String, byte[]>> read(
            KafkaConsumer<String, byte[]> consumer,
            Predicate<ConsumerRecord<String, byte[]>> wanted,
            int count,
            Duration timeout) {
        List<ConsumerRecord<String, byte[]>> found = new ArrayList<>();
        long end = System.nanoTime() + timeout.toNanos();
        while (found.size() < count && System.nanoTime() < end) {
            for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                if (wanted.test(record)) {
                    found.add(record);
                }
            }
        }
        return found;
    }
}
