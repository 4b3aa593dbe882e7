package io.imprint.pki.audit;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The hash chain that makes the audit log tamper-evident: each record's hash covers the previous record's
 * hash, its event type and the exact event bytes received. Changing, removing or reordering any record breaks
 * every hash after it. Each record is also a leaf of the log's Merkle tree ({@link MerkleTree}), whose entry
 * is {@link #leafEntry}.
 */
public final class AuditChain {
    public static final String GENESIS = "0".repeat(64);

    private AuditChain() {}

    /** A record's entry as a Merkle leaf: its event type, a newline, and the event exactly as logged. */
    public static byte[] leafEntry(String eventType, String payload) {
        return (eventType + "\n" + payload).getBytes(StandardCharsets.UTF_8);
    }

    public static String link(String previousHash, String eventType, String payload) {
        try {
            MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
            sha256.update(previousHash.getBytes(StandardCharsets.US_ASCII));
            sha256.update((byte) '\n');
            sha256.update(eventType.getBytes(StandardCharsets.UTF_8));
            sha256.update((byte) '\n');
            sha256.update(payload.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(sha256.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JDK", e);
        }
    }
}
