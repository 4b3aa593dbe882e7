package io.imprint.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.kafka.KafkaContainer;

/**
 * A real Kafka broker for tests, chosen once per JVM: {@code KAFKA_BOOTSTRAP_SERVERS} if set; else a
 * Testcontainers broker when a Docker engine answers; else our own KRaft broker started by
 * {@code deploy/local/kafka.sh} on port 19092, apart from the demo's 9092. Our topics are created from
 * {@code deploy/local/topics.conf} in every case, since auto-creation is off.
 */
public final class TestKafka {
    public static final int LOCAL_TEST_PORT = 19092;
    private static String bootstrap;

    private TestKafka() {
    }

    public static synchronized String bootstrapServers() {
        if (bootstrap == null) {
            bootstrap = start();
            createTopics(bootstrap);
        }
        return bootstrap;
    }

    private static String start() {
        String external = System.getenv("KAFKA_BOOTSTRAP_SERVERS");
        if (external != null && !external.isBlank()) {
            return external;
        }
        if (dockerAvailable()) {
            KafkaContainer container = new KafkaContainer("apache/kafka:4.0.0")
                    .withEnv("KAFKA_AUTO_CREATE_TOPICS_ENABLE", "false");
            container.start();
            return container.getBootstrapServers();
        }
        Path script = ProjectPaths.root().resolve("deploy/local/kafka.sh");
        ProcessBuilder builder = new ProcessBuilder("bash", script.toString(), "start").inheritIO();
        builder.environment().put("IMPRINT_KAFKA_PORT", String.valueOf(LOCAL_TEST_PORT));
        try {
            int exit = builder.start().waitFor();
            if (exit != 0) {
                throw new IllegalStateException(script + " start exited with " + exit);
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + script, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        return "127.0.0.1:" + LOCAL_TEST_PORT;
    }

    private static boolean dockerAvailable() {
        // Probe only where an engine could be: the probe itself logs errors when none is configured.
        boolean configured = System.getenv("DOCKER_HOST") != null
                || Files.exists(Path.of("/var/run/docker.sock"));
        if (!configured) {
            return false;
        }
        try {
            return DockerClientFactory.instance().isDockerAvailable();
        } catch (RuntimeException | LinkageError e) {
            return false;
        }
    }

    static void createTopics(String bootstrapServers) {
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        try (Admin admin = Admin.create(props)) {
            Set<String> existing = admin.listTopics().names().get(30, TimeUnit.SECONDS);
            List<NewTopic> missing = new ArrayList<>();
            for (String line : Files.readAllLines(ProjectPaths.topicsConf())) {
                String l = line.strip();
                if (l.isEmpty() || l.startsWith("#")) {
                    continue;
                }
                String[] f = l.split("\\s+");
                if (!existing.contains(f[0])) {
                    missing.add(new NewTopic(f[0], Integer.parseInt(f[1]), (short) 1)
                            .configs(Map.of("retention.ms", f[2], "cleanup.policy", f[3])));
                }
            }
            admin.createTopics(missing).all().get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw new IllegalStateException("cannot create topics: " + e.getCause().getMessage(), e);
            }
        } catch (Exception e) {
            throw new IllegalStateException("cannot create topics on " + bootstrapServers + ": " + e.getMessage(), e);
        }
    }
}
