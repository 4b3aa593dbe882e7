package io.imprint.pki.signing;

import io.imprint.pki.Providers;
import io.imprint.pki.keys.CaKey;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.util.Collection;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaCertStore;
import org.bouncycastle.cms.CMSException;
import org.bouncycastle.cms.CMSProcessableByteArray;
import org.bouncycastle.cms.CMSSignedData;
import org.bouncycastle.cms.CMSSignedDataGenerator;
import org.bouncycastle.cms.SignerInformation;
import org.bouncycastle.cms.jcajce.JcaSignerInfoGeneratorBuilder;
import org.bouncycastle.cms.jcajce.JcaSimpleSignerInfoVerifierBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;

/**
 * Detached CMS SignedData (DER) over a document, made in the token by a key whose chain it carries: what a
 * third party checks with openssl alone,
 * {@code openssl cms -verify -binary -inform DER -in doc.p7s -content doc -CAfile root-ca.pem -purpose any}.
 */
public final class DetachedCms {
    private DetachedCms() {}

    public static byte[] sign(CaKey key, byte[] content) {
        try {
            CMSSignedDataGenerator generator = new CMSSignedDataGenerator();
            generator.addSignerInfoGenerator(new JcaSignerInfoGeneratorBuilder(new JcaDigestCalculatorProviderBuilder()
                            .setProvider(Providers.BC)
                            .build())
                    .build(key.contentSigner(), key.certificate()));
            generator.addCertificates(new JcaCertStore(key.chain()));
            return generator
                    .generate(new CMSProcessableByteArray(content), false)
                    .getEncoded();
        } catch (IOException | GeneralSecurityException | CMSException | OperatorCreationException e) {
            throw new IllegalStateException("cannot sign with '" + key.alias() + "': " + e.getMessage(), e);
        }
    }

    /**
     * Whether {@code signature} is exactly one signer's valid signature over {@code content}, made by the key of
     * {@code signer} (the chain to a root is the verifier's business).
     */
    public static boolean verifies(byte[] signature, byte[] content, X509Certificate signer) {
        try {
            CMSSignedData signed = new CMSSignedData(new CMSProcessableByteArray(content), signature);
            Collection<SignerInformation> signers = signed.getSignerInfos().getSigners();
            if (signers.size() != 1) {
                return false;
            }
            SignerInformation only = signers.iterator().next();
            return only.getSID().match(new X509CertificateHolder(signer.getEncoded()))
                    && only.verify(new JcaSimpleSignerInfoVerifierBuilder()
                            .setProvider(Providers.BC)
                            .build(signer));
        } catch (IOException | GeneralSecurityException | CMSException | OperatorCreationException e) {
            return false;
        }
    }
}
