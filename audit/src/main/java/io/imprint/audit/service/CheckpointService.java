package io.imprint.audit.service;

import io.imprint.audit.persistence.AuditRepository;
import io.imprint.audit.persistence.CheckpointEntity;
import io.imprint.audit.persistence.CheckpointRepository;
import io.imprint.contracts.events.AuditCheckpointV1;
import io.imprint.pki.audit.Checkpoint;
import io.imprint.pki.audit.MerkleTree;
import io.imprint.pki.audit.SignedCheckpoint;
import io.imprint.service.Await;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.security.MessageDigest;
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
    private final AuditRepository records;
    private final CheckpointRepository checkpoints;
    private final AuditKey key;
    private final String origin;

    public CheckpointService(
            AuditRepository records,
            CheckpointRepository checkpoints,
            AuditKey key,
            @ConfigProperty(name = "imprint.audit.origin", defaultValue = "imprint/audit") String origin) {
        this.records = records;
        this.checkpoints = checkpoints;
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
        checkpoint();
    }

    /** Signs the tree head of everything logged so far, unless the newest checkpoint already covers it. Blocking. */
    public CheckpointView checkpoint() {
        CheckpointEntity latest = Await.result(() -> Panache.withSession(checkpoints::latest));
        long size = Await.result(() -> Panache.withSession(records::count));
        if (latest != null && latest.treeSize >= size) {
            return CheckpointView.of(latest);
        }
        // Leaves are numbered densely as records commit, so the first `size` are exactly those counted.
        List<byte[]> leaves = leafHashes(size);
        Checkpoint head = new Checkpoint(
                origin,
                leaves.size(),
                MerkleTree.root(leaves, leaves.size()),
                Instant.now().truncatedTo(ChronoUnit.MILLIS));
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
     * Why a signed checkpoint does not hold against the log as it is now, or null when every one does: its
     * signature, and the root of the first tree_size records. A log cut short after a checkpoint, or rewritten
     * consistently (every hash of the chain recomputed), fails here. Blocking.
     */
    public String checkpointProblem(long records) {
        List<CheckpointEntity> all = Await.result(() -> Panache.withSession(() -> checkpoints.listAll()));
        long largest = all.stream().mapToLong(c -> c.treeSize).max().orElse(0);
        List<byte[]> leaves = leafHashes(Math.min(largest, records));
        for (CheckpointEntity checkpoint : all.stream()
                .sorted(java.util.Comparator.comparingLong(c -> c.treeSize))
                .toList()) {
            String at = "checkpoint " + checkpoint.treeSize + ": ";
            SignedCheckpoint signed;
            try {
                signed = new SignedCheckpoint(
                        Checkpoint.parse(checkpoint.body), Base64.getDecoder().decode(checkpoint.signature));
            } catch (IllegalArgumentException e) {
                return at + "it is malformed: " + e.getMessage();
            }
            String unsigned = signed.problem(key.certificate());
            if (unsigned != null) {
                return at + unsigned;
            }
            if (signed.checkpoint().size() != checkpoint.treeSize
                    || !HEX.formatHex(signed.checkpoint().root()).equals(checkpoint.rootHash)) {
                return at + "its columns do not say what its signed body says: the checkpoint was edited";
            }
            if (checkpoint.treeSize > records) {
                return at + "it covers " + checkpoint.treeSize + " records, the log holds " + records
                        + ": records were removed from its end";
            }
            if (!MessageDigest.isEqual(
                    MerkleTree.root(leaves, Math.toIntExact(checkpoint.treeSize)),
                    signed.checkpoint().root())) {
                return at + "the first " + checkpoint.treeSize + " records no longer hash to the root the audit key"
                        + " signed: the log was rewritten";
            }
        }
        return null;
    }

    /** The leaf hashes of the tree of {@code size} records. Blocking. */
    List<byte[]> leafHashes(long size) {
        return Await.result(() -> Panache.withSession(() -> records.leafHashes(size))).stream()
                .map(HEX::parseHex)
                .toList();
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
