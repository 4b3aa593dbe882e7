package io.imprint.audit.service;

import io.imprint.audit.persistence.AuditRepository;
import io.imprint.audit.persistence.CheckpointEntity;
import io.imprint.audit.persistence.CheckpointRepository;
import io.imprint.contracts.events.AuditCheckpointV1;
import io.imprint.pki.audit.AuditLogWalk;
import io.imprint.pki.audit.Checkpoint;
import io.imprint.pki.audit.MerkleLog;
import io.imprint.pki.audit.SignedCheckpoint;
import io.imprint.service.Await;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Signed tree heads of the log. Every {@code imprint.audit.checkpoint-interval}, and when asked, the tree of
 * every record logged so far is hashed and, if it grew since the last checkpoint, its head is signed by the
 * audit key and stored. With a checkpoint in hand, no one, not even the database's owner, can remove or change
 * a record it covers without the proofs failing.
 */
@ApplicationScoped
public class CheckpointService {
    private static final Logger LOG = Logger.getLogger(CheckpointService.class);
    private static final HexFormat HEX = HexFormat.of();
    private static final int LEAF_PAGE = 50_000;
    private final AuditRepository records;
    /** Every leaf read so far, kept as its tree's stored subtree hashes: heads and proofs cost O(log n). */
    private final MerkleLog tree = new MerkleLog();

    private final CheckpointRepository checkpoints;
    private final AuditService audit;
    private final AuditKey key;
    private final String origin;

    public CheckpointService(
            AuditRepository records,
            CheckpointRepository checkpoints,
            AuditService audit,
            AuditKey key,
            @ConfigProperty(name = "imprint.audit.origin", defaultValue = "imprint/audit") String origin) {
        this.records = records;
        this.checkpoints = checkpoints;
        this.audit = audit;
        this.key = key;
        this.origin = origin;
    }

    /** A signed tree head as it is stored and served. */
    public record CheckpointView(long treeSize, String rootHash, Instant madeAt, String body, String signature) {
        static CheckpointView of(CheckpointEntity e) {
            return e == null ? null : new CheckpointView(e.treeSize, e.rootHash, e.madeAt, e.body, e.signature);
        }
    }

    @Scheduled(
            every = "${imprint.audit.checkpoint-interval:60s}",
            delayed = "${imprint.audit.checkpoint-interval:60s}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void periodically() {
        try {
            checkpoint();
        } catch (RuntimeException e) {
            // The database or the token is away (or the service is stopping): the next round signs it.
            LOG.warnf("no checkpoint this round: %s", e.getMessage());
        }
    }

    /** Signs the tree head of everything logged so far, unless the newest checkpoint already covers it. Blocking. */
    public CheckpointView checkpoint() {
        CheckpointEntity latest = Await.result(() -> Panache.withSession(checkpoints::latest));
        long size = Await.result(() -> Panache.withSession(records::count));
        if (latest != null && latest.treeSize >= size) {
            return CheckpointView.of(latest);
        }
        // Leaves are numbered densely as records commit, so the first `size` are exactly those counted.
        Checkpoint head = new Checkpoint(
                origin, size, tree(size).root(size), Instant.now().truncatedTo(ChronoUnit.MILLIS));
        SignedCheckpoint signed = key.sign(head);
        CheckpointEntity made = new CheckpointEntity();
        made.treeSize = head.size();
        made.rootHash = HEX.formatHex(head.root());
        made.madeAt = head.time();
        made.body = head.body();
        made.signature = Base64.getEncoder().encodeToString(signed.signature());
        // Another instance may have signed the same size first: its checkpoint stands, ours is dropped.
        CheckpointEntity stored = Await.result(() -> Panache.withTransaction(() -> checkpoints
                .findById(made.treeSize)
                .chain(existing -> existing != null ? Uni.createFrom().item(existing) : checkpoints.persist(made))));
        if (stored == made) {
            LOG.infof("signed checkpoint: %d records, root %s", made.treeSize, made.rootHash);
        }
        return CheckpointView.of(stored);
    }

    /**
     * Verifies the whole log: the chain record by record, then every signed checkpoint against it, so a log
     * cut short after a checkpoint, or rewritten consistently (every hash of the chain recomputed), is named
     * too. Blocking.
     */
    public AuditService.ChainReport verify() {
        // Read before the walk: the log only grows, so every one of these covers records the walk will see,
        // while a checkpoint signed during the walk could cover records appended after it passed the end.
        List<CheckpointEntity> signed =
                Await.result(() -> Panache.withSession(() -> checkpoints.list("ORDER BY treeSize")));
        ChainCheck check = new ChainCheck();
        AuditService.ChainReport chain = audit.verify(check);
        if (!chain.intact()) {
            return chain;
        }
        String problem = checkpointProblem(check.walk(), signed);
        return problem == null ? chain : new AuditService.ChainReport(chain.records(), false, null, problem);
    }

    private String checkpointProblem(AuditLogWalk walk, List<CheckpointEntity> all) {
        for (CheckpointEntity checkpoint : all) {
            String at = "checkpoint " + checkpoint.treeSize + ": ";
            SignedCheckpoint signed;
            try {
                signed = new SignedCheckpoint(
                        Checkpoint.parse(checkpoint.body), Base64.getDecoder().decode(checkpoint.signature));
            } catch (IllegalArgumentException e) {
                return at + "it is malformed: " + e.getMessage();
            }
            if (signed.checkpoint().size() != checkpoint.treeSize
                    || !HEX.formatHex(signed.checkpoint().root()).equals(checkpoint.rootHash)) {
                return at + "its columns do not say what its signed body says: the checkpoint was edited";
            }
            String problem = walk.checkpointProblem(signed, key.certificate());
            if (problem != null) {
                return at + problem;
            }
        }
        return null;
    }

    /**
     * The log's Merkle tree grown to at least {@code size} leaves: only the leaves not read before are read.
     * Blocking.
     *
     * @throws IllegalStateException when a leaf below {@code size} is missing from the log
     */
    MerkleLog tree(long size) {
        synchronized (tree) {
            while (tree.size() < size) {
                long from = tree.size();
                List<String> page =
                        Await.result(() -> Panache.withSession(() -> records.leafHashes(from, size, LEAF_PAGE)));
                if (page.isEmpty()) {
                    throw new IllegalStateException("leaf " + from + " is missing from the log");
                }
                page.forEach(hash -> tree.append(HEX.parseHex(hash)));
            }
            return tree;
        }
    }

    /** Signed checkpoints not yet published, as events, oldest first. Blocking. */
    public List<AuditCheckpointV1> unpublished() {
        return Await.result(() -> Panache.withSession(checkpoints::unpublished)).stream()
                .map(c -> new AuditCheckpointV1(
                        "audit-checkpoint-" + c.treeSize, c.treeSize, c.rootHash, c.madeAt, c.body, c.signature))
                .toList();
    }

    /** The checkpoint is on the topic: it will not be sent again. Blocking. */
    public void published(long treeSize) {
        Await.result(() -> Panache.withTransaction(() -> checkpoints.markPublished(treeSize, Instant.now())));
    }

    public String origin() {
        return origin;
    }

    public Uni<CheckpointView> latest() {
        return Panache.withSession(checkpoints::latest).map(CheckpointView::of);
    }
}
