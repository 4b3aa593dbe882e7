package io.imprint.pki.ceremony;

import io.imprint.pki.IssuerKeyId;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.PKCSException;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequest;

/**
 * The checks on each side of a factory CA made in the factory's own token: headquarters' root certifies only a key
 * whose request it signed (proof of possession, an EC key of at least 256 bits), and the factory installs only a
 * certificate of its own key, a CA, issued by the root it was given.
 */
final class FactoryCaRequests {
    private static final BouncyCastleProvider BC = new BouncyCastleProvider();

    private FactoryCaRequests() {}

    /** The request's key, once its signature verifies with it. */
    static PublicKey verifiedKey(PKCS10CertificationRequest request) {
        PublicKey key;
        try {
            key = new JcaPKCS10CertificationRequest(request).setProvider(BC).getPublicKey();
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("the request's public key cannot be read: " + e.getMessage(), e);
        }
        if (!(key instanceof ECPublicKey ec)
                || ec.getParams().getCurve().getField().getFieldSize() < 256) {
            throw new IllegalArgumentException(
                    "a factory CA key must be EC P-256 or stronger, not " + key.getAlgorithm());
        }
        try {
            if (!request.isSignatureValid(
                    new JcaContentVerifierProviderBuilder().setProvider(BC).build(key))) {
                throw new IllegalArgumentException(
                        "the request's signature does not verify with its key: no proof the factory holds it");
            }
        } catch (OperatorCreationException | PKCSException e) {
            throw new IllegalArgumentException("the request's signature cannot be checked: " + e.getMessage(), e);
        }
        return key;
    }

    /** Refuses a certificate that is not a CA certificate of {@code key} issued by the self-signed {@code root}. */
    static void requireCertifies(X509Certificate certificate, X509Certificate root, PublicKey key, String alias) {
        if (!certificate.getPublicKey().equals(key)) {
            throw new IllegalArgumentException("the certificate is for another key than '" + alias + "' in this token");
        }
        if (certificate.getBasicConstraints() < 0) {
            throw new IllegalArgumentException("the certificate is no CA certificate");
        }
        try {
            root.verify(root.getPublicKey());
            certificate.verify(root.getPublicKey());
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("the certificate is not issued by the self-signed root "
                    + root.getSubjectX500Principal() + " (key id " + IssuerKeyId.of(root) + ")");
        }
        if (!certificate.getIssuerX500Principal().equals(root.getSubjectX500Principal())) {
            throw new IllegalArgumentException("the certificate names another issuer than the root");
        }
    }
}
