package io.imprint.pki.audit;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Base64;

/**
 * A tree head of the audit log as the audit key signs it, in the text form of transparency-log checkpoints:
 *
 * <pre>
 * &lt;origin&gt;
 * &lt;tree size&gt;
 * &lt;root hash, base64&gt;
 * time &lt;ISO-8601 instant&gt;
 * </pre>
 *
 * Each line ends with a newline; the signed bytes are exactly {@link #body()}, so {@code openssl dgst -sha256
 * -verify} checks a signature over the file as written.
 */
// equals, hashCode and the accessor are overridden to compare and copy the octets, not the array.
@SuppressWarnings("ArrayRecordComponent")
public record Checkpoint(String origin, long size, byte[] root, Instant time) {
    public Checkpoint {
        if (origin == null || origin.isBlank() || origin.contains("\n")) {
            throw new IllegalArgumentException("a checkpoint's origin is one non-empty line");
        }
        if (size < 0 || root == null || root.length != MerkleTree.HASH_LENGTH || time == null) {
            throw new IllegalArgumentException("a checkpoint needs a size, a 32-octet root and a time");
        }
        root = root.clone();
    }

    @Override
    public byte[] root() {
        return root.clone();
    }

    public String body() {
        return origin + "\n" + size + "\n" + Base64.getEncoder().encodeToString(root) + "\ntime " + time + "\n";
    }

    public byte[] bytes() {
        return body().getBytes(StandardCharsets.UTF_8);
    }

    /** The checkpoint a body says, refused unless it is exactly what {@link #body()} would write. */
    public static Checkpoint parse(String body) {
        String[] lines = body.split("\n", -1);
        if (lines.length != 5 || !lines[4].isEmpty() || !lines[3].startsWith("time ")) {
            throw new IllegalArgumentException("a checkpoint is four lines: origin, size, root, time");
        }
        try {
            Checkpoint checkpoint = new Checkpoint(
                    lines[0],
                    Long.parseLong(lines[1]),
                    Base64.getDecoder().decode(lines[2]),
                    Instant.parse(lines[3].substring("time ".length())));
            if (!checkpoint.body().equals(body)) {
                throw new IllegalArgumentException("the checkpoint is not in canonical form");
            }
            return checkpoint;
        } catch (NumberFormatException | DateTimeParseException e) {
            throw new IllegalArgumentException("a checkpoint line is malformed: " + e.getMessage(), e);
        }
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Checkpoint c && c.body().equals(body());
    }

    @Override
    public int hashCode() {
        return body().hashCode();
    }

    @Override
    public String toString() {
        return body();
    }
}
