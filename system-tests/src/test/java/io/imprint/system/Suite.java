package io.imprint.system;

import io.imprint.eventplane.KafkaTls;
import io.imprint.gateway.StationFiles;
import io.imprint.pki.signing.PemCredentials;
import io.imprint.pki.signing.ServiceCredential;
import io.imprint.pki.station.StationCredential;
import io.imprint.testing.ProjectPaths;
import io.imprint.testing.Shell;
import io.imprint.testing.TestDatabase;
import io.imprint.testing.TestOperators;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.stream.Stream;
import javax.net.ssl.SSLContext;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.GroupListing;
import org.apache.kafka.clients.admin.ListGroupsOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * The suite as processes, started by deploy/local/start-all.sh in a work folder of its own: its broker (mutual
 * TLS, ACLs), token, CAs and identities, as an operator runs it. Tests reach it as an operator, a station
 * or an SRE would, each with its own credential.
 */
final class Suite {
    private static final List<String> SERVICES =
            List.of("csr-intake", "signer", "audit", "fleet-registry", "revocation");

    /** The suite's one operator, enrolled with its operator CA at start, holding every role. */
    static final String OPERATOR = "ops";

    final Path root = ProjectPaths.root();
    final Path work;
    final Map<String, String> env;
    private final int kafkaPort;
    private final int portBase;

    /** @param settings further environment for the scripts, e.g. IMPRINT_SERVICES */
    Suite(String name, int kafkaPort, int portBase, Map<String, String> settings) {
        this(
                ProjectPaths.root().resolve("work/" + name),
                "imprint_" + name.replace('-', '_'),
                kafkaPort,
                portBase,
                settings);
        // Each suite starts from nothing, as each service test does: no earlier run's broker, token or rows
        // shape this one (a CRL number, a checkpoint signed by an earlier token's audit key).
        stop();
        deleteRecursively(work);
        dropDatabase(env.get("IMPRINT_DB_NAME"));
    }

    /**
     * A second site on {@code first}'s work folder (token, CAs, identities: one ceremony), with a broker, database
     * and ports of its own: headquarters beside an offline factory.
     */
    Suite(Suite first, String site, int kafkaPort, int portBase, Map<String, String> settings) {
        this(first.work, first.env.get("IMPRINT_DB_NAME") + "_" + site, kafkaPort, portBase, settings);
        dropDatabase(env.get("IMPRINT_DB_NAME"));
    }

    private Suite(Path work, String database, int kafkaPort, int portBase, Map<String, String> settings) {
        this.work = work;
        this.kafkaPort = kafkaPort;
        this.portBase = portBase;
        Map<String, String> env = new HashMap<>(Map.of(
                "IMPRINT_WORK",
                work.toString(),
                "IMPRINT_KAFKA_PORT",
                String.valueOf(kafkaPort),
                "IMPRINT_PORT_BASE",
                String.valueOf(portBase),
                "IMPRINT_DB_NAME",
                database));
        env.putAll(settings);
        this.env = Map.copyOf(env);
    }

    private static void deleteRecursively(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot clear the suite's folder " + dir, e);
        }
    }

    /** The suite's database, dropped with whatever an earlier run left in it. */
    private static void dropDatabase(String name) {
        try (Connection db = TestDatabase.connect("postgres");
                Statement statement = db.createStatement()) {
            statement.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
        } catch (SQLException e) {
            throw new IllegalStateException("cannot drop the suite's database " + name + ": " + e.getMessage(), e);
        }
    }

    void start() {
        start(Map.of());
    }

    /** Starts what is not running, with some of the environment changed, e.g. a service's JVM options. */
    void start(Map<String, String> changed) {
        Map<String, String> startEnv = new HashMap<>(env);
        startEnv.putAll(changed);
        // Before the services start: they read the operators' roles at start-up.
        Shell.ok(root, startEnv, "bash", "deploy/local/operators.sh", OPERATOR, "order-admin,revoker,auditor");
        Shell.ok(root, startEnv, "bash", "deploy/local/start-all.sh");
    }

    void stop() {
        Shell.run(root, env, List.of("bash", "deploy/local/stop-all.sh"));
    }

    String bootstrap() {
        return "127.0.0.1:" + kafkaPort;
    }

    Path certs() {
        return work.resolve("certs");
    }

    String url(String service, String path) {
        return "http://127.0.0.1:" + (portBase + SERVICES.indexOf(service) + 1) + path;
    }

    /**
     * The revocation service's OCSP answer for a device certificate of the current issuing CA ("good", "revoked",
     * "unknown"), as {@code openssl ocsp} reads it, the response verified under the root.
     */
    String ocsp(Path certificate) {
        return ocsp(certificate, certs().resolve("issuing-ca.pem"));
    }

    /** As {@link #ocsp(Path)} for a certificate of the issuing CA in {@code issuer}. */
    String ocsp(Path certificate, Path issuer) {
        String output = Shell.ok(
                root,
                env,
                "openssl",
                "ocsp",
                "-issuer",
                issuer.toString(),
                "-cert",
                certificate.toString(),
                "-url",
                url("revocation", "/ocsp"),
                "-CAfile",
                certs().resolve("root-ca.pem").toString(),
                "-verify_other",
                issuer.toString());
        if (!output.contains("Response verify OK")) {
            throw new AssertionError("the OCSP response does not verify: " + output);
        }
        return output.lines()
                .filter(l -> l.startsWith(certificate + ":"))
                .findFirst()
                .map(l -> l.substring(l.indexOf(':') + 1).strip())
                .orElseThrow(() -> new AssertionError(output));
    }

    /** A service's operator API over HTTPS (its HTTP port + 400), for {@link #operatorClient}. */
    String operatorUrl(String service, String path) {
        return "https://127.0.0.1:" + (portBase + SERVICES.indexOf(service) + 1 + 400) + path;
    }

    /** TLS as this suite's operator: their certificate from its operator CA, servers trusted under its root. */
    SSLContext operatorTls() {
        return TestOperators.context(
                work.resolve("operators/" + OPERATOR + "/identity.pem"), certs().resolve("infrastructure-root-ca.pem"));
    }

    /** An HTTP client that authenticates as this suite's operator (all three roles). */
    HttpClient operatorClient() {
        return HttpClient.newBuilder().sslContext(operatorTls()).build();
    }

    /** A service identity of this suite (enrolled with its service CA if it has none yet). */
    Path identityFile(String name) {
        Path file = work.resolve("identities/" + name + "/identity.pem");
        if (!Files.exists(file)) {
            Shell.ok(root, env, "bash", "deploy/local/identities.sh", name);
        }
        return file;
    }

    ServiceCredential identity(String name) {
        return PemCredentials.service(identityFile(name));
    }

    /**
     * Waits until every Imprint consumer group has read everything committed on its topics, as an SRE would
     * watch consumer lag, so that what the services show reflects every event published so far. A committed
     * offset just short of the end is caught up when all that is left there is transaction markers.
     */
    void awaitConsumersCaughtUp(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        Properties reader = clientAs("sre");
        reader.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        try (Admin admin = Admin.create(clientAs("sre"));
                KafkaConsumer<String, byte[]> consumer =
                        new KafkaConsumer<>(reader, new StringDeserializer(), new ByteArrayDeserializer())) {
            while (true) {
                List<String> behind = new ArrayList<>();
                for (GroupListing group : admin.listGroups(ListGroupsOptions.forConsumerGroups())
                        .all()
                        .get()) {
                    if (!group.groupId().startsWith("imprint-")) {
                        continue;
                    }
                    Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group.groupId())
                            .partitionsToOffsetAndMetadata()
                            .get();
                    for (var offset : committed.entrySet()) {
                        if (unread(consumer, offset.getKey(), offset.getValue().offset())) {
                            behind.add(group.groupId() + " " + offset.getKey());
                        }
                    }
                }
                if (behind.isEmpty()) {
                    return;
                }
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("consumers still behind after " + timeout + ": " + behind);
                }
                Thread.sleep(250);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException e) {
            throw new IllegalStateException(
                    "cannot read consumer lag: " + e.getCause().getMessage(), e);
        }
    }

    /** Whether a committed record lies at or after {@code from} in the partition. */
    private static boolean unread(KafkaConsumer<String, byte[]> consumer, TopicPartition partition, long from) {
        consumer.assign(List.of(partition));
        long end = consumer.endOffsets(List.of(partition)).get(partition);
        if (from >= end) {
            return false;
        }
        consumer.seek(partition, from);
        for (int polls = 0; consumer.position(partition) < end; polls++) {
            if (polls == 10 || !consumer.poll(Duration.ofMillis(500)).isEmpty()) {
                return true;
            }
        }
        return false;
    }

    /** Kafka client settings as the named service identity (admin, sre, csr-intake, ...). */
    Properties clientAs(String name) {
        return KafkaTls.client(bootstrap(), identityFile(name), certs().resolve("service-ca.pem"));
    }

    /**
     * A consumer as the SRE reads with kcat: no group offsets, every partition of {@code topics} from the
     * beginning, with the given isolation level ({@code read_committed} or {@code read_uncommitted}).
     */
    KafkaConsumer<String, byte[]> readFromBeginning(String isolation, List<String> topics) {
        Properties props = clientAs("sre");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, isolation);
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "2000");
        KafkaConsumer<String, byte[]> consumer =
                new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer());
        List<TopicPartition> partitions = topics.stream()
                .flatMap(topic -> consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                        .map(info -> new TopicPartition(topic, info.partition())))
                .toList();
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        return consumer;
    }

    /** Kafka client settings as a station, with its own credential. */
    Properties clientAs(StationCredential station) {
        return KafkaTls.client(bootstrap(), station.key(), station.chain(), brokerCa());
    }

    X509Certificate brokerCa() {
        return PemCredentials.certificates(certs().resolve("service-ca.pem")).get(0);
    }

    /**
     * Enrols a station as an operator does: the station makes its key, the ceremony certifies it, and the broker
     * grants it its rights. Its files are in {@code stations/<station>}: station.key and station.crt (with chain).
     */
    StationCredential enrolStation(String factory, String station) {
        Path dir = stationDir(station);
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        StationFiles.generateKey(dir.resolve("station.key"), dir.resolve("station.pub.pem"));
        Shell.ok(
                root,
                env,
                "bash",
                "deploy/local/ca-ceremony.sh",
                "enrol-station",
                "--factory",
                factory,
                "--station",
                station,
                "--public-key",
                dir.resolve("station.pub.pem").toString(),
                "--hours",
                "8",
                "--out",
                dir.resolve("station.crt").toString());
        Shell.ok(
                root,
                env,
                "bash",
                "deploy/local/kafka.sh",
                "grant-station",
                "--factory",
                factory,
                "--station",
                station);
        return StationFiles.load(dir.resolve("station.key"), dir.resolve("station.crt"));
    }

    Path stationDir(String station) {
        return work.resolve("stations/" + station);
    }

    /**
     * kcat's TLS flags for a station's files, as the README documents them. OpenSSL wants a self-signed
     * anchor: the infrastructure root, which the broker's chain (broker, service CA) leads to.
     */
    List<String> kcatAsStation(String station) {
        Path dir = stationDir(station);
        return List.of(
                "-X",
                "security.protocol=ssl",
                "-X",
                "ssl.key.location=" + dir.resolve("station.key"),
                "-X",
                "ssl.certificate.location=" + dir.resolve("station.crt"),
                "-X",
                "ssl.ca.location=" + anchor());
    }

    /** kcat's TLS flags for a service identity of this suite. */
    List<String> kcatAs(String identity) {
        String file = identityFile(identity).toString();
        return List.of(
                "-X",
                "security.protocol=ssl",
                "-X",
                "ssl.key.location=" + file,
                "-X",
                "ssl.certificate.location=" + file,
                "-X",
                "ssl.ca.location=" + anchor());
    }

    private Path anchor() {
        return certs().resolve("infrastructure-root-ca.pem");
    }
}
