package io.imprint.pki.audit;

import java.security.cert.X509Certificate;
import java.util.List;

/**
 * What a third party checks with the audit certificate alone: the checkpoint is signed by the audit key, and
 * the proof ties the entry (or the earlier checkpoint) to the tree the checkpoint names.
 */
public final class AuditProofs {
    private AuditProofs() {}

    /** Why the inclusion proof does not hold, or null when it does. */
    public static String inclusionProblem(
            X509Certificate auditCertificate,
            String checkpointBody,
            byte[] signature,
            byte[] entry,
            long leafIndex,
            List<byte[]> proof) {
        Checkpoint checkpoint;
        try {
            checkpoint = Checkpoint.parse(checkpointBody);
        } catch (IllegalArgumentException e) {
            return "the checkpoint is malformed: " + e.getMessage();
        }
        String unsigned = new SignedCheckpoint(checkpoint, signature).problem(auditCertificate);
        if (unsigned != null) {
            return unsigned;
        }
        if (!MerkleTree.verifyInclusion(
                MerkleTree.leafHash(entry), leafIndex, checkpoint.size(), proof, checkpoint.root())) {
            return "the entry is not record " + leafIndex + " of the tree of " + checkpoint.size()
                    + " records the checkpoint signs";
        }
        return null;
    }

    /** Why the second checkpoint does not extend the first, or null when it does. */
    public static String consistencyProblem(
            X509Certificate auditCertificate,
            String firstBody,
            byte[] firstSignature,
            String secondBody,
            byte[] secondSignature,
            List<byte[]> proof) {
        Checkpoint first;
        Checkpoint second;
        try {
            first = Checkpoint.parse(firstBody);
            second = Checkpoint.parse(secondBody);
        } catch (IllegalArgumentException e) {
            return "a checkpoint is malformed: " + e.getMessage();
        }
        for (SignedCheckpoint signed :
                List.of(new SignedCheckpoint(first, firstSignature), new SignedCheckpoint(second, secondSignature))) {
            String unsigned = signed.problem(auditCertificate);
            if (unsigned != null) {
                return "checkpoint " + signed.checkpoint().size() + ": " + unsigned;
            }
        }
        if (!first.origin().equals(second.origin())) {
            return "the checkpoints are of different logs: " + first.origin() + ", " + second.origin();
        }
        if (!MerkleTree.verifyConsistency(first.size(), second.size(), first.root(), second.root(), proof)) {
            return "the tree of " + second.size() + " records does not extend the tree of " + first.size()
                    + ": the log was rewritten between the two checkpoints";
        }
        return null;
    }
}
