package io.imprint.audit.service;

import io.imprint.audit.persistence.AuditRecordEntity;
import io.imprint.pki.audit.AuditLogWalk;

/**
 * Walks the log in id order ({@link AuditLogWalk}: each record follows the one before it, hashes to its own
 * hash, takes the next Merkle leaf) and, beyond what an offline verifier sees, holds each record's stored leaf
 * hash and columns to its event. Which check fails tells an edit from a removal or a move. A removal from the
 * very end shows only against a signed checkpoint ({@link CheckpointService#checkpointProblem}).
 */
final class ChainCheck {
    private final AuditLogWalk walk = new AuditLogWalk();
    private Long previousId;

    /** Why {@code record} breaks the chain, or null when it holds (and the walk moves past it). */
    String problem(AuditRecordEntity record) {
        String at = "record " + record.id + ": ";
        AuditLogWalk.Break broken = walk.next(
                record.leafIndex == null ? -1 : record.leafIndex,
                record.eventType,
                record.payload,
                record.previousHash,
                record.hash);
        if (broken != null) {
            return at
                    + switch (broken) {
                        case NOT_FOLLOWING ->
                            previousId == null
                                    ? "the log does not start from the genesis value: records before it were removed"
                                    : "it does not follow record " + previousId
                                            + " (its previous_hash is not that record's hash): a record was removed or moved";
                        case HASH -> "its hash is not that of its event: the event was edited";
                        case LEAF_INDEX ->
                            "its leaf_index says " + record.leafIndex + ", its place in the log is " + walk.records()
                                    + ": the record was edited";
                    };
        }
        if (!LoggedEvents.leafHash(record).equals(record.leafHash)) {
            return at + "its leaf_hash is not that of its event: the record was edited";
        }
        String mismatch = LoggedEvents.mismatch(record);
        if (mismatch != null) {
            return at + mismatch + ": the record was edited";
        }
        previousId = record.id;
        return null;
    }

    AuditLogWalk walk() {
        return walk;
    }
}
