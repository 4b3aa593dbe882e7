package io.imprint.pki.keys;

import java.security.PrivateKey;
import java.security.Provider;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.util.List;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A signing key held by a {@link KeyBackend}, with its certificate and the chain above it. The private
 * key object is a handle (for PKCS#11, a token object that is sensitive and not extractable); signing
 * happens inside the provider that owns it.
 *
 * @param chain the certificate first, then its issuers up to and including the root
 */
public record CaKey(String alias, PrivateKey privateKey, Provider provider, List<X509Certificate> chain) {
    public CaKey {
        chain = List.copyOf(chain);
        if (chain.isEmpty()) {
            throw new IllegalArgumentException("key '" + alias + "' has no certificate");
        }
    }

    public X509Certificate certificate() {
        return chain.get(0);
    }

    /** The signature algorithm matched to the key: SHA-384 for P-384, SHA-256 otherwise. */
    public String signatureAlgorithm() {
        if (certificate().getPublicKey() instanceof ECPublicKey ec) {
            return ec.getParams().getCurve().getField().getFieldSize() > 256 ? "SHA384withECDSA" : "SHA256withECDSA";
        }
        if (certificate().getPublicKey() instanceof RSAPublicKey) {
            return "SHA256withRSA";
        }
        throw new IllegalStateException("key '" + alias + "' has an unsupported type: "
                + certificate().getPublicKey().getAlgorithm());
    }

    public ContentSigner contentSigner() {
        try {
            return new JcaContentSignerBuilder(signatureAlgorithm())
                    .setProvider(provider)
                    .build(privateKey);
        } catch (OperatorCreationException e) {
            throw new KeyBackendException("key '" + alias + "' cannot sign: " + e.getMessage(), e);
        }
    }

    @Override
    public String toString() {
        return "CaKey[" + alias + ", " + certificate().getSubjectX500Principal().getName() + "]";
    }
}
