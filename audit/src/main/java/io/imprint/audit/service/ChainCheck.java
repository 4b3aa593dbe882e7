package io.imprint.audit.service;

import io.imprint.audit.persistence.AuditRecordEntity;

/**
 * Walks the log in id order from the genesis value: each record must follow the one before it (its
 * previous_hash is that record's hash), its hash must be that of its own event bytes, its place as a Merkle
 * leaf must be the next one with the leaf hash of its event, and its columns must say what its event says.
 * Which fails tells an edit from a removal or a move. A removal from the very end shows only against a
 * signed checkpoint ({@link CheckpointService#checkpointProblem}).
 */
final class ChainCheck {
    private String expectedPrevious = AuditChain.GENESIS;
    private Long previousId;
    private long expectedLeaf;

    /** Why {@code record} breaks the chain, or null when it holds (and the walk moves past it). */
    String problem(AuditRecordEntity record) {
        String at = "record " + record.id + ": ";
        if (!record.previousHash.equals(expectedPrevious)) {
            return at
                    + (previousId == null
                            ? "the log does not start from the genesis value: records before it were removed"
                            : "it does not follow record " + previousId
                                    + " (its previous_hash is not that record's hash): a record was removed or moved");
        }
        if (!record.hash.equals(AuditChain.link(record.previousHash, record.eventType, record.payload))) {
            return at + "its hash is not that of its event: the event was edited";
        }
        if (record.leafIndex == null || record.leafIndex != expectedLeaf) {
            return at + "its leaf_index says " + record.leafIndex + ", its place in the log is " + expectedLeaf
                    + ": the record was edited";
        }
        if (!LoggedEvents.leafHash(record).equals(record.leafHash)) {
            return at + "its leaf_hash is not that of its event: the record was edited";
        }
        String mismatch = LoggedEvents.mismatch(record);
        if (mismatch != null) {
            return at + mismatch + ": the record was edited";
        }
        expectedPrevious = record.hash;
        previousId = record.id;
        expectedLeaf++;
        return null;
    }
}
