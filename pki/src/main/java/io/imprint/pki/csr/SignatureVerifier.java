package io.imprint.pki.csr;

import io.imprint.pki.Providers;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.Signature;

/**
 * Verifies a signature with BouncyCastle, strictly: a DER ECDSA signature must be the unique DER encoding
 * of (r, s) with both in [1, n-1]; a raw r||s signature (PLAIN-ECDSA) must be exactly twice the order's
 * length; an Ed25519 signature must be canonical. Any malformed input is a failed verification, never an
 * exception, so a caller cannot mistake garbage for a crash.
 */
public final class SignatureVerifier {
    private SignatureVerifier() {}

    /**
     * Whether the signature verifies; malformed input is false.
     *
     * @param algorithm a JCA name from {@link KeyPolicy}, e.g. {@code SHA256withECDSA},
     *                  {@code SHA256withPLAIN-ECDSA}, {@code Ed25519}, {@code SHA256withRSA}
     */
    public static boolean verify(String algorithm, PublicKey key, byte[] data, byte[] signature) {
        try {
            Signature verifier = Signature.getInstance(algorithm, Providers.BC);
            verifier.initVerify(key);
            verifier.update(data);
            return verifier.verify(signature);
        } catch (GeneralSecurityException | RuntimeException e) {
            return false;
        }
    }
}
