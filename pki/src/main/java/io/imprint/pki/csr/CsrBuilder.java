package io.imprint.pki.csr;

import io.imprint.pki.Pem;
import io.imprint.pki.Providers;
import java.security.KeyPair;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;

/** Builds the PKCS#10 request a secure element would: subject CN and serialNumber = device id. */
public final class CsrBuilder {
    private CsrBuilder() {}

    public static String devicePem(String deviceId, KeyPair key, String signatureAlgorithm) {
        return pem(
                new X500NameBuilder(BCStyle.INSTANCE)
                        .addRDN(BCStyle.CN, deviceId)
                        .addRDN(BCStyle.SERIALNUMBER, deviceId)
                        .build(),
                key,
                signatureAlgorithm);
    }

    public static String pem(X500Name subject, KeyPair key, String signatureAlgorithm) {
        try {
            return Pem.encode(new JcaPKCS10CertificationRequestBuilder(subject, key.getPublic())
                    .build(new JcaContentSignerBuilder(signatureAlgorithm)
                            .setProvider(Providers.BC)
                            .build(key.getPrivate())));
        } catch (OperatorCreationException e) {
            throw new IllegalArgumentException("cannot sign a CSR with " + signatureAlgorithm, e);
        }
    }
}
