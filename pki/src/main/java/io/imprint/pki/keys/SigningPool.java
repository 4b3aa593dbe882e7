package io.imprint.pki.keys;

import static io.imprint.pki.keys.KeyBackendException.rootMessage;

import io.imprint.pki.Providers;
import io.imprint.pki.csr.SignatureVerifier;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.ProviderException;
import java.security.PublicKey;
import java.security.Signature;
import java.security.interfaces.ECPublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.operator.DefaultSignatureAlgorithmIdentifierFinder;

/**
 * Signs with one backend key from up to {@code sessions} threads at once. Each lane owns its own
 * {@link Signature}, and so its own token session while it signs: there is no lock around signing, and
 * the number of lanes bounds how many sessions the token sees.
 *
 * <p>For PKCS#11 EC keys the digest is computed here and the token signs it raw (CKM_ECDSA): less data
 * crosses to a network HSM, and the r||s it returns is DER-encoded by {@link EcdsaSignatures}.
 *
 * <p>After a token error (session closed, logged out, device reset) the pool asks the backend to log in
 * again, re-reads the key, and retries the signature once; a second failure is reported.
 */
public final class SigningPool {
    private static final java.security.SecureRandom PROBES = new java.security.SecureRandom();
    private static final String RAW_ECDSA = "NONEwithECDSAinP1363Format";

    private final KeyBackend backend;
    private final String alias;
    private final int sessions;
    private final BlockingQueue<Lane> lanes;
    private volatile Binding binding;

    public SigningPool(KeyBackend backend, String alias, int sessions) {
        if (sessions < 1) {
            throw new IllegalArgumentException("a signing pool needs at least one session");
        }
        this.backend = backend;
        this.alias = alias;
        this.sessions = sessions;
        this.lanes = new ArrayBlockingQueue<>(sessions);
        for (int i = 0; i < sessions; i++) {
            lanes.add(new Lane());
        }
        this.binding = bind();
    }

    /** The key and certificate chain currently signed with. */
    public CaKey key() {
        return binding.key();
    }

    public String alias() {
        return alias;
    }

    public int sessions() {
        return sessions;
    }

    /**
     * The CA's public key, converted once for BouncyCastle: BouncyCastle keeps the precomputed multiples of
     * a key it has seen, so verifying each signature with this one object costs about 40% of a fresh key.
     */
    public PublicKey verificationKey() {
        return binding.verificationKey();
    }

    /** The signature algorithm certificates signed here must name. */
    public AlgorithmIdentifier algorithm() {
        return binding.algorithmIdentifier();
    }

    /**
     * Signs a random probe with the key and verifies it under its certificate's public key, as Boulder checks
     * its CA keys at start: a token whose key under this alias is not the certificate's key is found before
     * the first device certificate, with a sentence naming the alias.
     */
    public void proveKeyMatchesCertificate() {
        byte[] probe = new byte[32];
        PROBES.nextBytes(probe);
        byte[] signature = sign(probe);
        Binding used = binding;
        // a signature that cannot even be parsed under the certificate's key does not match it either
        if (SignatureVerifier.verify(used.jcaName(), used.verificationKey(), probe, signature)) {
            return;
        }
        throw new KeyBackendException(
                "key '" + alias + "' in " + backend.description() + " does not match its "
                        + "certificate "
                        + used.key().certificate().getSubjectX500Principal().getName() + ": a probe it "
                        + "signed does not verify under the certificate's public key",
                null);
    }

    /** Signs {@code data}; returns the signature as X.509 carries it (DER for ECDSA). */
    public byte[] sign(byte[] data) {
        Lane lane;
        try {
            lane = lanes.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KeyBackendException("interrupted while waiting for a signing session", e);
        }
        try {
            Binding used = binding;
            try {
                return lane.sign(used, data);
            } catch (GeneralSecurityException | ProviderException first) {
                reconnect(used);
                try {
                    return lane.sign(binding, data);
                } catch (GeneralSecurityException | ProviderException second) {
                    throw new KeyBackendException(
                            "key '" + alias + "' in " + backend.description() + " failed to sign after reconnecting: "
                                    + rootMessage(second),
                            second);
                }
            }
        } finally {
            lanes.add(lane);
        }
    }

    // Identity, not equality: the question is whether this very binding is still the current one.
    @SuppressWarnings("ReferenceEquality")
    private synchronized void reconnect(Binding failed) {
        if (binding != failed) {
            return;
        }
        backend.reconnect(failed.generation());
        binding = bind();
    }

    private Binding bind() {
        long generation = backend.generation();
        CaKey key = backend.key(alias);
        String algorithm = key.signatureAlgorithm();
        boolean ec = key.certificate().getPublicKey() instanceof ECPublicKey;
        boolean raw = ec && key.provider() != null && key.provider().getService("Signature", RAW_ECDSA) != null;
        return new Binding(
                key,
                generation,
                algorithm,
                raw,
                new DefaultSignatureAlgorithmIdentifierFinder().find(algorithm),
                bouncyCastleKey(key));
    }

    private static PublicKey bouncyCastleKey(CaKey key) {
        PublicKey publicKey = key.certificate().getPublicKey();
        try {
            return KeyFactory.getInstance(publicKey.getAlgorithm(), Providers.BC)
                    .generatePublic(new X509EncodedKeySpec(publicKey.getEncoded()));
        } catch (GeneralSecurityException e) {
            throw new KeyBackendException(
                    "the certificate of key '" + key.alias() + "' holds a public key" + " BouncyCastle cannot read: "
                            + e.getMessage(),
                    e);
        }
    }

    private record Binding(
            CaKey key,
            long generation,
            String jcaName,
            boolean rawEcdsa,
            AlgorithmIdentifier algorithmIdentifier,
            PublicKey verificationKey) {
        String digest() {
            return jcaName.startsWith("SHA384") ? "SHA-384" : "SHA-256";
        }
    }

    /** One signing session's worth of state, used by one thread at a time. */
    private static final class Lane {
        private Binding boundTo;
        private Signature signature;
        private MessageDigest digest;

        // Identity, not equality: the lane's Signature was initialised for this very binding, on the hot path.
        @SuppressWarnings("ReferenceEquality")
        byte[] sign(Binding binding, byte[] data) throws GeneralSecurityException {
            if (boundTo != binding) {
                signature = binding.rawEcdsa()
                        ? Signature.getInstance(RAW_ECDSA, binding.key().provider())
                        : Signature.getInstance(binding.jcaName(), binding.key().provider());
                signature.initSign(binding.key().privateKey());
                digest = MessageDigest.getInstance(binding.digest());
                boundTo = binding;
            }
            try {
                if (binding.rawEcdsa()) {
                    signature.update(digest.digest(data));
                    return EcdsaSignatures.derFromRaw(signature.sign());
                }
                signature.update(data);
                return signature.sign();
            } catch (GeneralSecurityException | ProviderException e) {
                boundTo = null; // the Signature may be mid-operation: never reuse it
                throw e;
            }
        }
    }
}
