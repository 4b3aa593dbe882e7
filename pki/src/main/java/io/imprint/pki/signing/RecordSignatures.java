package io.imprint.pki.signing;

import io.imprint.pki.Providers;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;

/**
 * The signature stations and services put on the exact value bytes of a record they publish:
 * SHA256withECDSA, DER encoded. Anyone can make one with {@code openssl dgst -sha256 -sign}.
 */
public final class RecordSignatures {
    public static final String ALGORITHM = "SHA256withECDSA";

    private RecordSignatures() {
    }

    public static byte[] sign(PrivateKey key, byte[] value) {
        try {
            Signature signature = Signature.getInstance(ALGORITHM, Providers.BC);
            signature.initSign(key);
            signature.update(value);
            return signature.sign();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the key cannot sign records: " + e.getMessage(), e);
        }
    }

    /** False for any signature that does not verify, including malformed ones and keys of another type. */
    public static boolean verify(PublicKey key, byte[] signature, byte[] value) {
        try {
            Signature verifier = Signature.getInstance(ALGORITHM, Providers.BC);
            verifier.initVerify(key);
            verifier.update(value);
            return verifier.verify(signature);
        } catch (GeneralSecurityException | RuntimeException e) {
            return false;
        }
    }
}
