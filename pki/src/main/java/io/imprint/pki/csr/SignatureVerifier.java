package io.imprint.pki.csr;

import io.imprint.pki.Providers;
import io.imprint.pki.VerifyingProvider;
import java.security.GeneralSecurityException;
import java.security.Provider;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;

/**
 * Verifies signatures strictly: a DER ECDSA signature must be the unique DER encoding of (r, s) with both in
 * [1, n-1]; a raw r||s signature (PLAIN-ECDSA) must be exactly twice the order's length; an Ed25519 signature
 * must be canonical. ECDSA goes to the {@link VerifyingProvider} (native where it loads) only after
 * {@link StrictEcdsaEncoding} has accepted the encoding; Ed25519 and RSA go to BouncyCastle. Any malformed
 * input is a failed verification, never an exception, so a caller cannot mistake garbage for a crash.
 */
public final class SignatureVerifier {
    private static final String PLAIN_ECDSA = "withPLAIN-ECDSA";
    private static final String ECDSA = "withECDSA";

    private SignatureVerifier() {}

    /**
     * Whether the signature verifies; malformed input is false.
     *
     * @param algorithm a JCA name from {@link KeyPolicy}, e.g. {@code SHA256withECDSA},
     *                  {@code SHA256withPLAIN-ECDSA}, {@code Ed25519}, {@code SHA256withRSA}
     */
    public static boolean verify(String algorithm, PublicKey key, byte[] data, byte[] signature) {
        return verify(algorithm, key, data, signature, VerifyingProvider.active());
    }

    /** As {@link #verify(String, PublicKey, byte[], byte[])}, with ECDSA verified by {@code ecdsa}. */
    public static boolean verify(
            String algorithm, PublicKey key, byte[] data, byte[] signature, VerifyingProvider ecdsa) {
        try {
            boolean plain = algorithm.endsWith(PLAIN_ECDSA);
            if (!plain && !algorithm.endsWith(ECDSA)) {
                return verifyWith(algorithm, Providers.BC, key, data, signature);
            }
            if (!(key instanceof ECPublicKey ec)) {
                return false;
            }
            byte[] der = plain
                    ? StrictEcdsaEncoding.derFromPlain(signature, ec.getParams().getOrder())
                    : StrictEcdsaEncoding.checkedDer(signature, ec.getParams().getOrder());
            if (der == null) {
                return false;
            }
            String digest = algorithm.substring(0, algorithm.length() - (plain ? PLAIN_ECDSA : ECDSA).length());
            return verifyWith(digest + ECDSA, ecdsa.provider(), key, data, der);
        } catch (GeneralSecurityException | RuntimeException e) {
            return false;
        }
    }

    /** Whether {@code certificate} is signed by {@code issuerKey}, under the same rules. */
    public static boolean verifyCertificate(X509Certificate certificate, PublicKey issuerKey) {
        return verifySigned(certificate.getSignature(), issuerKey, provider -> certificate.verify(issuerKey, provider));
    }

    /** Whether {@code crl} is signed by {@code issuerKey}, under the same rules. */
    public static boolean verifyCrl(X509CRL crl, PublicKey issuerKey) {
        return verifySigned(crl.getSignature(), issuerKey, provider -> crl.verify(issuerKey, provider));
    }

    /** A certificate's or CRL's own check of its signature, with the provider given. */
    private interface SignedObject {
        void verifyWith(Provider provider) throws GeneralSecurityException;
    }

    private static boolean verifySigned(byte[] signature, PublicKey issuerKey, SignedObject signed) {
        try {
            if (issuerKey instanceof ECPublicKey ec) {
                if (StrictEcdsaEncoding.checkedDer(signature, ec.getParams().getOrder()) == null) {
                    return false;
                }
                signed.verifyWith(VerifyingProvider.active().provider());
            } else {
                signed.verifyWith(Providers.BC);
            }
            return true;
        } catch (GeneralSecurityException | RuntimeException e) {
            return false;
        }
    }

    private static boolean verifyWith(String algorithm, Provider provider, PublicKey key, byte[] data, byte[] signature)
            throws GeneralSecurityException {
        Signature verifier = Signature.getInstance(algorithm, provider);
        verifier.initVerify(key);
        verifier.update(data);
        return verifier.verify(signature);
    }
}
