package io.imprint.pki.audit;

import java.security.MessageDigest;
import java.security.cert.X509Certificate;

/**
 * Walks the audit log record by record, from the genesis value, as audit's own verification and the offline
 * verifier both do: each record must follow the one before it, hash to its own hash, and take the next leaf of
 * the Merkle tree. Afterwards, {@link #checkpointProblem} holds what was walked to a signed checkpoint.
 */
public final class AuditLogWalk {
    /** How a record breaks the log. */
    public enum Break {
        /** Its previous hash is not the hash of the record before it: a record was removed or moved. */
        NOT_FOLLOWING,
        /** Its hash is not that of its content: it was edited. */
        HASH,
        /** Its leaf index is not the next one: it was edited or moved. */
        LEAF_INDEX
    }

    private String previousHash = AuditChain.GENESIS;
    /** The walked leaves as their tree: each checkpoint's root costs O(log n), however many there are. */
    private final MerkleLog leaves = new MerkleLog();

    /** Takes the next record; how it breaks the log, or null when it holds (and the walk moves past it). */
    public Break next(long leafIndex, String eventType, String payload, String previous, String hash) {
        if (!previousHash.equals(previous)) {
            return Break.NOT_FOLLOWING;
        }
        if (!AuditChain.link(previous, eventType, payload).equals(hash)) {
            return Break.HASH;
        }
        if (leafIndex != leaves.size()) {
            return Break.LEAF_INDEX;
        }
        leaves.append(MerkleTree.leafHash(AuditChain.leafEntry(eventType, payload)));
        previousHash = hash;
        return null;
    }

    public long records() {
        return leaves.size();
    }

    /** Why the walked log does not match the signed checkpoint, or null when it does. */
    public String checkpointProblem(SignedCheckpoint signed, X509Certificate auditCertificate) {
        String unsigned = signed.problem(auditCertificate);
        if (unsigned != null) {
            return unsigned;
        }
        Checkpoint checkpoint = signed.checkpoint();
        if (checkpoint.size() > leaves.size()) {
            return "it covers " + checkpoint.size() + " records, the log holds " + leaves.size()
                    + ": records were removed from its end";
        }
        if (!MessageDigest.isEqual(leaves.root(checkpoint.size()), checkpoint.root())) {
            return "the first " + checkpoint.size() + " records no longer hash to the root the audit key signed:"
                    + " the log was rewritten";
        }
        return null;
    }
}
