package io.imprint.pki.crl;

import io.imprint.pki.Providers;
import io.imprint.pki.keys.CaKey;
import java.io.IOException;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.cert.X509CRL;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.CRLNumber;
import org.bouncycastle.asn1.x509.CRLReason;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.Extensions;
import org.bouncycastle.cert.X509CRLHolder;
import org.bouncycastle.cert.X509v2CRLBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CRLConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;

/**
 * Builds and signs full X.509 v2 CRLs (RFC 5280 5.1) from entries: CRL number and AKI extensions, a
 * reason code on each entry (omitted for "unspecified", as 5.3.1 recommends). The signature is checked
 * with the issuer's public key before the CRL is returned.
 */
public final class CrlFactory {

    public X509CRL build(CaKey issuer, long crlNumber, Instant thisUpdate, Instant nextUpdate,
            List<RevokedEntry> entries) {
        try {
            X509v2CRLBuilder builder = new X509v2CRLBuilder(
                    X500Name.getInstance(issuer.certificate().getSubjectX500Principal().getEncoded()),
                    Date.from(thisUpdate));
            builder.setNextUpdate(Date.from(nextUpdate));
            builder.addExtension(Extension.cRLNumber, false, new CRLNumber(BigInteger.valueOf(crlNumber)));
            builder.addExtension(Extension.authorityKeyIdentifier, false,
                    new JcaX509ExtensionUtils().createAuthorityKeyIdentifier(issuer.certificate()));
            for (RevokedEntry entry : entries) {
                if (entry.reasonCode() == CRLReason.unspecified) {
                    builder.addCRLEntry(entry.serial(), Date.from(entry.revokedAt()), (Extensions) null);
                } else {
                    builder.addCRLEntry(entry.serial(), Date.from(entry.revokedAt()), entry.reasonCode());
                }
            }
            X509CRLHolder signed = builder.build(issuer.contentSigner());
            X509CRL crl = new JcaX509CRLConverter().setProvider(Providers.BC).getCRL(signed);
            crl.verify(issuer.certificate().getPublicKey(), Providers.BC);
            return crl;
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot build CRL " + crlNumber + ": " + e.getMessage(), e);
        }
    }
}
