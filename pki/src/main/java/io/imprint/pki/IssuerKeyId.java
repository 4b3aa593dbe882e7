package io.imprint.pki;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.X509Certificate;
import java.util.HexFormat;

/**
 * Names an issuing CA by its key: lowercase hex SHA-256 of its SubjectPublicKeyInfo. Unlike the subject
 * name, it changes when the key does, so a rolled-over CA (same name, new key) gets its own CRL and URL.
 */
public final class IssuerKeyId {
    private IssuerKeyId() {}

    public static String of(X509Certificate ca) {
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256")
                            .digest(ca.getPublicKey().getEncoded()));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JDK", e);
        }
    }
}
