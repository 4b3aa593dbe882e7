package io.imprint.eventplane;

import io.imprint.contracts.TopicDeclarations;
import io.imprint.contracts.access.AccessDeclarations;
import io.imprint.contracts.access.AccessRule;
import io.imprint.pki.station.StationIdentity;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AccessControlEntryFilter;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclBindingFilter;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourcePatternFilter;
import org.apache.kafka.common.resource.ResourceType;

/**
 * Makes the broker match the declared files: every topic of {@code topics.conf}, every ACL of
 * {@code acls.conf} for the services, and a station's own ACLs and its factory's results topic when the
 * station is granted access. Applying is idempotent, and removes service ACLs no longer declared, so the
 * broker never keeps a right the file does not give. Runs as the administrator principal (a super user).
 */
public final class EventPlaneAdmin implements AutoCloseable {
    private static final Duration CALL = Duration.ofSeconds(30);
    private static final String USER = "User:";

    private final Admin admin;

    public EventPlaneAdmin(Properties clientConfig) {
        Properties props = new Properties();
        props.putAll(clientConfig);
        props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "10000");
        props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "10000");
        this.admin = Admin.create(props);
    }

    /** Waits until the broker answers (it may still be starting), or fails after {@code timeout}. */
    public void awaitBroker(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            try {
                admin.listTopics().names().get(5, TimeUnit.SECONDS);
                return;
            } catch (ExecutionException | TimeoutException e) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException(
                            "the broker did not answer within " + timeout + ": " + rootMessage(e), e);
                }
                Thread.sleep(250);
            }
        }
    }

    /** Creates every declared topic that does not exist yet; returns how many were created. */
    public int createTopics(Collection<TopicDeclarations.Topic> topics) {
        Set<String> existing = call(admin.listTopics().names());
        List<NewTopic> missing = new ArrayList<>();
        for (TopicDeclarations.Topic topic : topics) {
            if (!existing.contains(topic.name())) {
                missing.add(new NewTopic(topic.name(), topic.partitions(), (short) 1)
                        .configs(Map.of(
                                "retention.ms",
                                Long.toString(topic.retentionMs()),
                                "cleanup.policy",
                                topic.cleanupPolicy())));
            }
        }
        try {
            admin.createTopics(missing).all().get(CALL.toSeconds(), TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw new IllegalStateException("cannot create topics: " + rootMessage(e), e);
            }
        } catch (InterruptedException | TimeoutException e) {
            throw new IllegalStateException("cannot create topics: " + rootMessage(e), e);
        }
        return missing.size();
    }

    /**
     * Creates the declared service ACLs and deletes any ACL of a {@code service:} principal that is not
     * declared; returns the number created and deleted.
     */
    public int[] applyServiceAcls(AccessDeclarations declarations) {
        Set<AclBinding> declared = new HashSet<>(bindings(declarations.fixed()));
        Set<AclBinding> present =
                new HashSet<>(call(admin.describeAcls(AclBindingFilter.ANY).values()));
        List<AclBinding> missing =
                declared.stream().filter(b -> !present.contains(b)).toList();
        List<AclBindingFilter> stale = present.stream()
                .filter(b -> b.entry().principal().startsWith(USER + "service:") && !declared.contains(b))
                .map(AclBinding::toFilter)
                .toList();
        call(admin.createAcls(missing).all());
        if (!stale.isEmpty()) {
            call(admin.deleteAcls(stale).all());
        }
        return new int[] {missing.size(), stale.size()};
    }

    /** Gives a station its declared rights, creating its factory's results topic first. */
    public void grantStation(StationIdentity station, TopicDeclarations topics, AccessDeclarations declarations) {
        createTopics(topics.forFactory(station.factoryId()));
        call(admin.createAcls(bindings(declarations.forStation(station.factoryId(), station.stationId())))
                .all());
    }

    /** Takes every right of a station away (a stolen or retired station); its factory's topic stays. */
    public int revokeStation(StationIdentity station) {
        AclBindingFilter filter = new AclBindingFilter(
                ResourcePatternFilter.ANY,
                new AccessControlEntryFilter(
                        USER + station.principal(), null, AclOperation.ANY, AclPermissionType.ANY));
        return call(admin.deleteAcls(List.of(filter)).all()).size();
    }

    static List<AclBinding> bindings(List<AccessRule> rules) {
        return rules.stream()
                .map(r -> new AclBinding(
                        new ResourcePattern(
                                ResourceType.valueOf(r.resourceType().name()),
                                r.resourceName(),
                                PatternType.valueOf(r.patternType().name())),
                        new AccessControlEntry(
                                USER + r.principal(),
                                "*",
                                AclOperation.valueOf(r.operation().name()),
                                AclPermissionType.ALLOW)))
                .toList();
    }

    private static <T> T call(org.apache.kafka.common.KafkaFuture<T> future) {
        try {
            return future.get(CALL.toSeconds(), TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("the broker refused or did not answer: " + rootMessage(e), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private static String rootMessage(Throwable e) {
        Throwable cause = e;
        while (cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause.getClass().getSimpleName() + ": " + cause.getMessage();
    }

    @Override
    public void close() {
        admin.close(Duration.ofSeconds(5));
    }
}
