package io.imprint.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.imprint.contracts.Topics;
import io.imprint.contracts.access.AccessDeclarations;
import io.imprint.contracts.access.AccessRule;
import io.imprint.eventplane.EventPlaneAdmin;
import io.imprint.pki.station.StationCredential;
import io.imprint.pki.station.StationIdentity;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/**
 * The broker itself, with mutual TLS and the ACLs of deploy/local/acls.conf, refuses what no principal may
 * do: each check is a real client against the real broker, with the principal's own certificate.
 */
class BrokerAccessControlTest {
    private static final String FACTORY =
            "factory-acl-" + UUID.randomUUID().toString().substring(0, 8);
    private static final StationCredential STATION = TestStations.enrolAndGrant(FACTORY, "station-acl");

    @Test
    void aStationMaySubmitButNotWriteAnyCommandOrResultTopic() throws Exception {
        Properties station = TestStations.client(STATION);
        assertEquals(Topics.CSR_SUBMITTED, send(station, Topics.CSR_SUBMITTED));
        for (String topic : List.of(
                Topics.CSR_ACCEPTED,
                Topics.CRL_SIGN_REQUESTED,
                Topics.CERT_ISSUED,
                Topics.CERT_REVOKED,
                Topics.CSR_REJECTED,
                Topics.stationResults(FACTORY))) {
            assertInstanceOf(TopicAuthorizationException.class, refusal(station, topic), topic);
        }
    }

    @Test
    void aStationReadsItsOwnFactorysResultsAndNoOneElses() {
        Properties station = TestStations.client(STATION);
        assertEquals(0, read(station, Topics.stationResults(FACTORY)), "its own results, none yet");
        String other = "factory-other-" + UUID.randomUUID().toString().substring(0, 8);
        TestStations.enrolAndGrant(other, "station-other");
        for (String topic :
                List.of(Topics.stationResults(other), Topics.CERT_ISSUED, Topics.CSR_REJECTED, Topics.CSR_SUBMITTED)) {
            assertThrows(TopicAuthorizationException.class, () -> read(station, topic), topic);
        }
    }

    @Test
    void aServiceWritesOnlyItsOwnTopics() throws Exception {
        assertInstanceOf(
                TopicAuthorizationException.class, refusal(TestKafka.clientAs("csr-intake"), Topics.CERT_ISSUED));
        assertInstanceOf(
                TopicAuthorizationException.class, refusal(TestKafka.clientAs("revocation"), Topics.CSR_ACCEPTED));
        assertInstanceOf(TopicAuthorizationException.class, refusal(TestKafka.clientAs("audit"), Topics.CERT_REVOKED));
        // An SRE may write nothing at all: its idempotent producer is refused before any topic is looked at.
        assertInstanceOf(AuthorizationException.class, refusal(TestKafka.clientAs("sre"), Topics.CSR_SUBMITTED));
    }

    @Test
    void revokingAStationTakesEveryRightAwayAtOnce() throws Exception {
        StationCredential stolen = TestStations.enrolAndGrant(FACTORY, "station-stolen");
        Properties client = TestStations.client(stolen);
        assertEquals(Topics.CSR_SUBMITTED, send(client, Topics.CSR_SUBMITTED));
        try (EventPlaneAdmin admin = new EventPlaneAdmin(TestKafka.admin())) {
            assertEquals(2, admin.revokeStation(new StationIdentity(FACTORY, "station-stolen")));
        }
        assertInstanceOf(TopicAuthorizationException.class, refusal(client, Topics.CSR_SUBMITTED));
        assertThrows(TopicAuthorizationException.class, () -> read(client, Topics.stationResults(FACTORY)));
    }

    @Test
    void applyingTheDeclaredFileRemovesAServiceRightItDoesNotDeclare() throws Exception {
        AccessDeclarations declared =
                AccessDeclarations.load(ProjectPaths.root().resolve("deploy/local/acls.conf"));
        AccessRule stray = new AccessRule(
                "service:audit",
                AccessRule.Operation.WRITE,
                AccessRule.ResourceType.TOPIC,
                AccessRule.PatternType.LITERAL,
                Topics.DEVICE_ADDED);
        try (EventPlaneAdmin admin = new EventPlaneAdmin(TestKafka.admin())) {
            admin.applyServiceAcls(new AccessDeclarations(
                    java.util.stream.Stream.concat(declared.rules().stream(), java.util.stream.Stream.of(stray))
                            .toList()));
            assertEquals(
                    Topics.DEVICE_ADDED,
                    send(TestKafka.clientAs("audit"), Topics.DEVICE_ADDED),
                    "the stray right works while it is there");
            assertEquals(1, admin.applyServiceAcls(declared)[1], "and applying the declared file removes it");
        }
        assertInstanceOf(TopicAuthorizationException.class, refusal(TestKafka.clientAs("audit"), Topics.DEVICE_ADDED));
    }

    @Test
    void aClientWithoutACertificateCannotConnect() {
        Properties anonymous = new Properties();
        anonymous.putAll(TestKafka.admin());
        anonymous.remove("ssl.keystore.location");
        anonymous.remove("ssl.keystore.type");
        assertInstanceOf(AuthenticationException.class, connectionFailure(anonymous));
    }

    @Test
    void aStationWhoseCertificateExpiredCannotConnect() {
        StationCredential expired = TestStations.enrol(
                FACTORY, "station-expired", Instant.now().minus(Duration.ofHours(3)), Duration.ofHours(1));
        assertInstanceOf(AuthenticationException.class, connectionFailure(TestStations.client(expired)));
    }

    private static String send(Properties client, String topic) throws Exception {
        try (KafkaProducer<String, byte[]> producer = producer(client)) {
            return producer.send(new ProducerRecord<>(topic, "k", "{}".getBytes(StandardCharsets.UTF_8)))
                    .get(20, TimeUnit.SECONDS)
                    .topic();
        }
    }

    /**
     * Why the broker refused: it answers the send (an ExecutionException), or, for a producer it refused
     * outright, send() itself fails once the producer has learnt so (a KafkaException in error state); which of
     * the two depends on timing, so the authorization failure is looked for in either.
     */
    private static Throwable refusal(Properties client, String topic) {
        Exception e = assertThrows(Exception.class, () -> send(client, topic), topic);
        Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
        while (!(cause instanceof AuthorizationException) && cause.getCause() != null && cause.getCause() != cause) {
            cause = cause.getCause();
        }
        return cause;
    }

    private static KafkaProducer<String, byte[]> producer(Properties client) {
        Properties props = new Properties();
        props.putAll(client);
        props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "15000");
        props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "15000");
        props.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, "10000");
        return new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer());
    }

    /** Reads the topic's first partition from the beginning, as a station reads, without a consumer group. */
    private static int read(Properties client, String topic) {
        Properties props = new Properties();
        props.putAll(client);
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        try (KafkaConsumer<String, byte[]> consumer =
                new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer())) {
            TopicPartition first = new TopicPartition(topic, 0);
            consumer.assign(List.of(first));
            consumer.seekToBeginning(List.of(first));
            return consumer.poll(Duration.ofSeconds(3)).count();
        }
    }

    private static Throwable connectionFailure(Properties client) {
        Properties props = new Properties();
        props.putAll(client);
        props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "15000");
        props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "10000");
        try (Admin admin = Admin.create(props)) {
            ExecutionException e = assertThrows(
                    ExecutionException.class,
                    () -> admin.describeCluster().clusterId().get(20, TimeUnit.SECONDS));
            return e.getCause();
        }
    }
}
