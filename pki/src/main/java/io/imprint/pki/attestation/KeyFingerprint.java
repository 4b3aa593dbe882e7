package io.imprint.pki.attestation;

import java.io.IOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;

/**
 * Names a public key in a vendor manifest: lower-case hex SHA-256 of its DER SubjectPublicKeyInfo, what
 * {@code openssl pkey -pubin -outform DER | sha256sum} prints.
 */
public final class KeyFingerprint {
    private KeyFingerprint() {}

    public static String sha256(SubjectPublicKeyInfo key) {
        try {
            return sha256(key.getEncoded());
        } catch (IOException e) {
            throw new IllegalStateException("cannot encode a public key", e);
        }
    }

    public static String sha256(byte[] subjectPublicKeyInfoDer) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(subjectPublicKeyInfoDer));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Whether {@code text} is a well-formed fingerprint (64 hex digits, any case). */
    public static boolean isWellFormed(String text) {
        return text != null && text.matches("[0-9a-fA-F]{64}");
    }
}
