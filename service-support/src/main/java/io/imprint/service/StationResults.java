package io.imprint.service;

import io.imprint.contracts.Topics;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.common.annotation.Identifier;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.jboss.logging.Logger;

/**
 * Where a factory's stations read their answers: {@code imprint.station-results.<factory>.v1}, created when
 * the factory's first station is granted access. A factory without one (no station of it was ever granted)
 * gets no copy, and an error says so, instead of a producer blocking on a topic that does not exist.
 * Existing topics are remembered; a missing one is looked up again after half a minute. Blocking: call it
 * from worker threads.
 */
@ApplicationScoped
public class StationResults {
    private static final Logger LOG = Logger.getLogger(StationResults.class);
    private static final long RECHECK_NANOS = TimeUnit.SECONDS.toNanos(30);

    private final Map<String, Object> kafka;
    private final Set<String> existing = ConcurrentHashMap.newKeySet();
    private final Map<String, Long> missingSince = new ConcurrentHashMap<>();
    private volatile Admin admin;

    public StationResults(@Identifier("default-kafka-broker") Map<String, Object> kafka) {
        this.kafka = kafka;
    }

    /**
     * Learns the results topics that exist at start, on a thread of its own, so the first answers do not wait
     * for the broker client to be made and asked; a broker not reachable yet only leaves it to the first use.
     */
    void learnExisting(@Observes StartupEvent start) {
        Thread thread = new Thread(
                () -> {
                    try {
                        String template = Topics.STATION_RESULTS_TEMPLATE;
                        String prefix = template.substring(0, template.indexOf("{factory}"));
                        String suffix = template.substring(template.indexOf("{factory}") + "{factory}".length());
                        admin().listTopics().names().get(30, TimeUnit.SECONDS).stream()
                                .filter(name -> name.startsWith(prefix) && name.endsWith(suffix))
                                .forEach(existing::add);
                    } catch (ExecutionException | TimeoutException | RuntimeException e) {
                        LOG.debugf("results topics not learnt at start: %s", e.getMessage());
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                },
                "station-results-topics");
        thread.setDaemon(true);
        thread.start();
    }

    /** The results topic of the factory, when it exists. */
    public Optional<String> topic(String factoryId) {
        String topic = Topics.stationResults(factoryId);
        if (existing.contains(topic)) {
            return Optional.of(topic);
        }
        Long since = missingSince.get(topic);
        if (since != null && System.nanoTime() - since < RECHECK_NANOS) {
            return Optional.empty();
        }
        try {
            admin().describeTopics(List.of(topic)).allTopicNames().get(10, TimeUnit.SECONDS);
            existing.add(topic);
            missingSince.remove(topic);
            return Optional.of(topic);
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof UnknownTopicOrPartitionException)) {
                throw new IllegalStateException(
                        "cannot look up " + topic + ": " + e.getCause().getMessage(), e);
            }
            if (missingSince.put(topic, System.nanoTime()) == null) {
                LOG.errorf(
                        "factory %s has no %s: its stations get no answers until one of them is granted access"
                                + " (deploy/local/kafka.sh grant-station)",
                        factoryId, topic);
            }
            return Optional.empty();
        } catch (TimeoutException e) {
            throw new IllegalStateException("the broker did not answer about " + topic, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted looking up " + topic, e);
        }
    }

    private Admin admin() {
        if (admin == null) {
            synchronized (this) {
                if (admin == null) {
                    admin = Admin.create(Map.copyOf(kafka));
                }
            }
        }
        return admin;
    }

    @PreDestroy
    void close() {
        if (admin != null) {
            admin.close();
        }
    }
}
