package io.imprint.revocation.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.imprint.contracts.EventCodec;
import io.imprint.contracts.EventType;
import io.imprint.contracts.RevocationReason;
import io.imprint.contracts.events.CertRevokedV1;
import io.imprint.revocation.config.RevocationConfig;
import io.imprint.revocation.persistence.BulkRevocationRepository;
import io.imprint.revocation.persistence.BulkRevocationRepository.Condition;
import io.imprint.revocation.persistence.BulkRevocationRepository.Count;
import io.imprint.revocation.persistence.BulkRevocationRepository.Revoked;
import io.imprint.revocation.persistence.RevocationJobEntity;
import io.imprint.revocation.persistence.RevocationRepository;
import io.imprint.service.Await;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.jboss.logging.Logger;

/**
 * Revokes many certificates at once: by production order, factory and time window, station, issuing CA or an
 * uploaded list. A dry run counts what a selector matches. A job is recorded first (so it survives a restart and
 * resumes), then runs on a thread of its own a chunk at a time: each chunk's revocations, their {@code cert.revoked}
 * events (in the outbox) and the job's progress commit together, and OCSP answers "revoked" for them from that
 * commit. When the job ends, the CRLs of the CAs it touched are marked due: one CRL signing for the whole job.
 * Idempotent: a certificate revoked before (by anyone) keeps its revocation and is not counted as this job's.
 */
@ApplicationScoped
public class BulkRevocations {
    /** Certificates revoked per transaction. */
    static final int CHUNK = 2_000;

    private static final Logger LOG = Logger.getLogger(BulkRevocations.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final BulkRevocationRepository bulk;
    private final RevocationRepository store;
    private final RevocationOutbox outbox;
    private final int dualControlThreshold;
    private final ExecutorService runner = Executors.newSingleThreadExecutor(work -> {
        Thread thread = new Thread(work, "revocation-jobs");
        thread.setDaemon(true);
        return thread;
    });

    public BulkRevocations(
            BulkRevocationRepository bulk,
            RevocationRepository store,
            RevocationOutbox outbox,
            RevocationConfig config) {
        this.dualControlThreshold = config.dualControlThreshold();
        this.bulk = bulk;
        this.store = store;
        this.outbox = outbox;
    }

    /** What a bulk revocation would hit: how many certificates match, how many of them are revoked already. */
    public record DryRun(long selected, long alreadyRevoked) {
        public long wouldRevoke() {
            return selected - alreadyRevoked;
        }
    }

    public Uni<DryRun> dryRun(BulkSelector selector) {
        return Panache.withSession(() -> bulk.count(selector.condition(null)))
                .map(c -> new DryRun(c.selected(), c.alreadyRevoked()));
    }

    /** A job as the API shows it. */
    public record Job(
            String jobId,
            String status,
            Object selector,
            String reason,
            String comment,
            String requestedBy,
            String approvedBy,
            Instant createdAt,
            int selected,
            int revoked,
            Instant finishedAt) {
        static Job of(RevocationJobEntity e) {
            Object selector;
            try {
                selector = JSON.readTree(e.selector);
            } catch (JsonProcessingException ex) {
                selector = e.selector;
            }
            return new Job(
                    e.id,
                    e.status,
                    selector,
                    e.reason.name(),
                    e.comment,
                    e.requestedBy,
                    e.approvedBy,
                    e.createdAt,
                    e.selected,
                    e.revoked,
                    e.finishedAt);
        }
    }

    /**
     * Records the job and starts it, or, when it would revoke more than {@code dualControlThreshold}
     * certificates, leaves it waiting for a second revoker ({@link #decide}); answers at once with the job as
     * recorded.
     */
    public Uni<Job> start(BulkSelector selector, RevocationReason reason, String comment, String operator) {
        RevocationJobEntity job = new RevocationJobEntity();
        job.id = UUID.randomUUID().toString();
        try {
            job.selector = JSON.writeValueAsString(selector.summary());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        job.reason = reason;
        job.comment = comment;
        job.requestedBy = operator;
        job.createdAt = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        job.status = RevocationJobEntity.RUNNING;
        Uni<Void> listed = selector.serials() == null
                ? Uni.createFrom().voidItem()
                : bulk.addJobSerials(job.id, selector.serials()).replaceWithVoid();
        return Panache.withTransaction(() -> listed.chain(() -> bulk.count(selector.condition(job.id)))
                        .chain((Count count) -> {
                            job.selected = (int) count.selected();
                            if (needsSecondOperator(count.selected() - count.alreadyRevoked())) {
                                job.status = RevocationJobEntity.AWAITING_APPROVAL;
                            }
                            return store.persist(job);
                        }))
                .invoke(() -> {
                    LOG.infof(
                            "revocation job %s by %s: %s, %d certificate(s) selected, reason %s%s",
                            job.id,
                            operator,
                            job.selector,
                            job.selected,
                            reason,
                            RevocationJobEntity.RUNNING.equals(job.status) ? "" : ", awaiting a second revoker");
                    if (RevocationJobEntity.RUNNING.equals(job.status)) {
                        runner.execute(() -> run(job.id, selector.condition(job.id)));
                    }
                })
                .map(v -> Job.of(job));
    }

    /** Whether a job revoking this many certificates waits for a second revoker (dual control). */
    public boolean needsSecondOperator(long wouldRevoke) {
        return wouldRevoke > dualControlThreshold;
    }

    /** Why a decision on a job was refused. */
    public enum Refusal {
        NOT_FOUND,
        NOT_AWAITING_APPROVAL,
        SAME_OPERATOR
    }

    /** A decision's outcome: the job as it now stands, or why the decision was refused. */
    public record Decision(Job job, Refusal refusal) {}

    /**
     * A second revoker approves a waiting job (it starts) or rejects it; the one who asked for it cannot. Two
     * approvals racing: one wins, the other is refused as no longer waiting.
     */
    public Uni<Decision> decide(String id, String operator, boolean approve) {
        String status = approve ? RevocationJobEntity.RUNNING : RevocationJobEntity.REJECTED;
        Instant at = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        return Panache.withTransaction(() -> bulk.decide(id, operator, status, at))
                .chain(changed -> Panache.withSession(() -> bulk.job(id)).map(job -> {
                    if (job == null) {
                        return new Decision(null, Refusal.NOT_FOUND);
                    }
                    if (changed == 0) {
                        boolean own = RevocationJobEntity.AWAITING_APPROVAL.equals(job.status)
                                && job.requestedBy.equals(operator);
                        return new Decision(Job.of(job), own ? Refusal.SAME_OPERATOR : Refusal.NOT_AWAITING_APPROVAL);
                    }
                    LOG.infof(
                            "revocation job %s %s by %s (asked for by %s)",
                            id, approve ? "approved" : "rejected", operator, job.requestedBy);
                    if (approve) {
                        runner.execute(() -> run(id, selectorOf(job)));
                    }
                    return new Decision(Job.of(job), null);
                }));
    }

    public Uni<Job> job(String id) {
        return Panache.withSession(() -> bulk.job(id)).map(j -> j == null ? null : Job.of(j));
    }

    void resume(@Observes StartupEvent start) {
        runner.execute(this::resumeRunning);
    }

    /** Carries on the jobs a stop interrupted, where their last chunk committed; returns when they are done. */
    public void resumeRunning() {
        try {
            for (String id : Await.result(() -> Panache.withSession(bulk::runningJobs))) {
                RevocationJobEntity job = Await.result(() -> Panache.withSession(() -> bulk.job(id)));
                LOG.infof("resuming revocation job %s", id);
                run(id, selectorOf(job));
            }
        } catch (RuntimeException e) {
            LOG.warnf("could not resume revocation jobs: %s", e.getMessage());
        }
    }

    @PreDestroy
    void stop() {
        runner.shutdownNow();
    }

    /** The job's condition from its recorded selector (an uploaded list is in its own table). */
    private static Condition selectorOf(RevocationJobEntity job) {
        try {
            var s = JSON.readTree(job.selector);
            BulkSelector selector = new BulkSelector(
                    text(s, "orderId"),
                    text(s, "factoryId"),
                    s.hasNonNull("from") ? Instant.parse(s.get("from").asText()) : null,
                    s.hasNonNull("to") ? Instant.parse(s.get("to").asText()) : null,
                    text(s, "stationId"),
                    text(s, "issuer"),
                    s.hasNonNull("serials") ? List.of() : null);
            return selector.condition(job.id);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("job " + job.id + " has an unreadable selector", e);
        }
    }

    private static String text(com.fasterxml.jackson.databind.JsonNode node, String field) {
        return node.hasNonNull(field) ? node.get(field).asText() : null;
    }

    /**
     * Revokes chunk after chunk, in serial order, until none is left; an outage is waited out and the chunk tried
     * again. The last pass starts from the first serial again, for any a concurrent revocation made a chunk skip.
     */
    private void run(String jobId, Condition condition) {
        Duration wait = Duration.ofMillis(200);
        String after = "";
        boolean fromTheStart = true;
        while (!Thread.currentThread().isInterrupted()) {
            try {
                RevocationJobEntity job = Await.result(() -> Panache.withSession(() -> bulk.job(jobId)));
                String from = after;
                List<Revoked> revoked = Await.result(() -> chunk(job, condition, from));
                if (!revoked.isEmpty()) {
                    outbox.committed();
                    after = revoked.stream()
                            .map(Revoked::serial)
                            .max(String::compareTo)
                            .orElseThrow();
                    fromTheStart = false;
                } else if (!fromTheStart) {
                    after = "";
                    fromTheStart = true;
                } else {
                    Await.result(() -> Panache.withTransaction(() -> finish(jobId)));
                    outbox.committed();
                    LOG.infof("revocation job %s done", jobId);
                    return;
                }
                wait = Duration.ofMillis(200);
            } catch (RuntimeException e) {
                LOG.warnf("revocation job %s waits: %s", jobId, e.getMessage());
                try {
                    Thread.sleep(wait.toMillis());
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                }
                wait = wait.multipliedBy(2).compareTo(Duration.ofSeconds(10)) > 0
                        ? Duration.ofSeconds(10)
                        : wait.multipliedBy(2);
            }
        }
    }

    /** One chunk after {@code after}, in one transaction: revocations, their events, the job's count. */
    private Uni<List<Revoked>> chunk(RevocationJobEntity job, Condition condition, String after) {
        Instant at = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        return Panache.withTransaction(() -> store.lockCrlsShared()
                .chain(() -> bulk.revokeChunk(
                        condition, after, job.reason.name(), at, job.requestedBy, job.comment, job.id, CHUNK))
                .chain(revoked -> revoked.isEmpty()
                        ? Uni.createFrom().item(revoked)
                        : bulk.addToOutbox(
                                        EventType.CERT_REVOKED.name(),
                                        revoked.stream()
                                                .map(r -> r.deviceId() != null ? r.deviceId() : r.serial())
                                                .toList(),
                                        revoked.stream()
                                                .map(r -> event(job, r, at))
                                                .toList(),
                                        Instant.now())
                                .chain(() -> bulk.countRevokedByJob(job.id, revoked.size()))
                                .replaceWith(revoked)));
    }

    private static String event(RevocationJobEntity job, Revoked r, Instant at) {
        CertRevokedV1 event = new CertRevokedV1(
                r.requestId(),
                r.serial(),
                r.issuer(),
                r.deviceId(),
                job.reason,
                at,
                job.requestedBy,
                job.comment,
                job.id,
                job.approvedBy);
        return new String(EventCodec.encode(event), StandardCharsets.UTF_8);
    }

    private Uni<Void> finish(String jobId) {
        return store.lockCrlsShared()
                .chain(() -> bulk.markCrlsDueForJob(jobId))
                .chain(() -> bulk.job(jobId))
                .invoke(job -> {
                    job.status = RevocationJobEntity.DONE;
                    job.finishedAt = Instant.now().truncatedTo(ChronoUnit.MILLIS);
                })
                .replaceWithVoid();
    }
}
