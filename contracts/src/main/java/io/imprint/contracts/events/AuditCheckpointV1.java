package io.imprint.contracts.events;

import java.time.Instant;

/**
 * audit signed a tree head of its log. A third party keeps these: with one in hand, audit can prove any
 * record is in the log ({@code GET /audit/proofs/inclusion}) and that a later checkpoint only added records
 * ({@code GET /audit/proofs/consistency}).
 *
 * @param requestId {@code audit-checkpoint-<treeSize>}: the same checkpoint sent twice is one
 * @param body the checkpoint exactly as signed: origin, tree size, base64 root hash, {@code time <instant>}
 * @param signature base64 DER ECDSA P-256 / SHA-256 signature of the audit key over {@code body}
 */
public record AuditCheckpointV1(
        String requestId, long treeSize, String rootHash, Instant madeAt, String body, String signature)
        implements ImprintEvent {
    public AuditCheckpointV1 {
        Require.text(requestId, "requestId");
        Require.text(rootHash, "rootHash");
        Require.present(madeAt, "madeAt");
        Require.text(body, "body");
        Require.text(signature, "signature");
    }
}
