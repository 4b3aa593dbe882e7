package io.imprint.audit.service;

import io.imprint.audit.persistence.AuditRecordEntity;
import io.imprint.audit.persistence.AuditRepository;
import io.imprint.audit.persistence.CheckpointEntity;
import io.imprint.audit.persistence.CheckpointRepository;
import io.imprint.service.Await;
import io.quarkus.hibernate.reactive.panache.Panache;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;

/**
 * Proofs against signed checkpoints, for a third party holding only the audit certificate: that a
 * certificate's issuance is in the log a checkpoint covers (inclusion), and that a later checkpoint extends an
 * earlier one (consistency). Blocking: called from worker threads.
 */
@ApplicationScoped
public class ProofService {
    private static final HexFormat HEX = HexFormat.of();
    private final AuditRepository records;
    private final CheckpointRepository checkpoints;
    private final CheckpointService tree;

    public ProofService(AuditRepository records, CheckpointRepository checkpoints, CheckpointService tree) {
        this.records = records;
        this.checkpoints = checkpoints;
        this.tree = tree;
    }

    /** Why no proof can be given: a stable code and a sentence. */
    public static final class NoProof extends RuntimeException {
        private final String code;

        NoProof(String code, String message) {
            super(message, null, false, false);
            this.code = code;
        }

        public String code() {
            return code;
        }
    }

    /**
     * A certificate's issuance, proved to be in a signed tree.
     *
     * @param entry the leaf's bytes, base64: the event type, a newline and the event as logged
     * @param proof the RFC 9162 inclusion path, hex, leaf first
     * @param checkpoint the signed tree head the path leads to: its body and its signature (DER, base64)
     */
    public record InclusionProof(
            String serialNumber,
            long leafIndex,
            long treeSize,
            String entry,
            List<String> proof,
            String checkpoint,
            String signature) {}

    /**
     * One signed tree, proved to extend another.
     *
     * @param proof the RFC 9162 consistency proof, hex, from the first checkpoint's tree to the second's
     */
    public record ConsistencyProof(
            long first,
            long second,
            List<String> proof,
            String firstCheckpoint,
            String firstSignature,
            String secondCheckpoint,
            String secondSignature) {}

    /**
     * That the issuance of {@code serial} is in the tree of the newest checkpoint, or of the one of exactly
     * {@code treeSize} records when given.
     */
    public InclusionProof inclusion(String serial, Long treeSize) {
        AuditRecordEntity record = Await.result(() -> Panache.withSession(() -> records.issuance(serial)));
        if (record == null) {
            throw new NoProof("NOT_LOGGED", "no issuance of serial " + serial + " is in the log");
        }
        CheckpointEntity checkpoint = checkpoint(treeSize);
        if (record.leafIndex >= checkpoint.treeSize) {
            throw new NoProof(
                    "NOT_YET_CHECKPOINTED",
                    "serial " + serial + " is record " + record.leafIndex + " of the log; checkpoint "
                            + checkpoint.treeSize + " does not cover it yet (POST /audit/checkpoints)");
        }
        return new InclusionProof(
                serial,
                record.leafIndex,
                checkpoint.treeSize,
                Base64.getEncoder().encodeToString(LoggedEvents.entry(record)),
                hex(tree.tree(checkpoint.treeSize).inclusionProof(record.leafIndex, checkpoint.treeSize)),
                checkpoint.body,
                checkpoint.signature);
    }

    /** That the checkpoint of {@code second} records extends the one of {@code first}. */
    public ConsistencyProof consistency(long first, long second) {
        if (first > second) {
            throw new NoProof("INVALID_RANGE", "the first checkpoint must be no larger than the second");
        }
        CheckpointEntity older = checkpoint(first);
        CheckpointEntity newer = checkpoint(second);
        return new ConsistencyProof(
                first,
                second,
                hex(tree.tree(newer.treeSize).consistencyProof(first, newer.treeSize)),
                older.body,
                older.signature,
                newer.body,
                newer.signature);
    }

    private CheckpointEntity checkpoint(Long treeSize) {
        CheckpointEntity checkpoint = Await.result(() ->
                Panache.withSession(() -> treeSize == null ? checkpoints.latest() : checkpoints.findById(treeSize)));
        if (checkpoint == null) {
            throw new NoProof(
                    "NO_CHECKPOINT",
                    treeSize == null
                            ? "no checkpoint has been signed yet (POST /audit/checkpoints)"
                            : "no checkpoint of " + treeSize + " records was signed");
        }
        return checkpoint;
    }

    private static List<String> hex(List<byte[]> hashes) {
        return hashes.stream().map(HEX::formatHex).toList();
    }
}
