package io.imprint.pki.issuance;

import io.imprint.pki.Providers;
import io.imprint.pki.csr.ValidatedCsr;
import io.imprint.pki.keys.CaKey;
import java.io.IOException;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.AccessDescription;
import org.bouncycastle.asn1.x509.AuthorityInformationAccess;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.CRLDistPoint;
import org.bouncycastle.asn1.x509.DistributionPoint;
import org.bouncycastle.asn1.x509.DistributionPointName;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;

/**
 * Issues IEEE 802.1AR IDevID-style device certificates. The pipeline, in order:
 * <ol>
 * <li>take only the public key from the validated CSR;</li>
 * <li>build the certificate from the profile: subject CN and serialNumber = device id, validity clamped
 * to the issuer's, CA:false, digitalSignature (plus keyEncipherment for RSA), clientAuth, SKI, AKI, CRL
 * distribution point, OCSP URL;</li>
 * <li>sign with the CA key inside its backend;</li>
 * <li>verify the signature with the issuer's public key before anyone sees the certificate.</li>
 * </ol>
 */
public final class DeviceCertificateIssuer {

    public X509Certificate issue(ValidatedCsr csr, CaKey ca, CertificateProfile profile, BigInteger serial,
            Instant now) {
        X509Certificate issuer = ca.certificate();
        Instant notBefore = now.truncatedTo(ChronoUnit.SECONDS);
        Instant notAfter = earliest(profile.notAfter(notBefore), issuer.getNotAfter().toInstant());
        try {
            JcaX509ExtensionUtils extensions = new JcaX509ExtensionUtils();
            SubjectPublicKeyInfo key = csr.publicKeyInfo();
            X509v3CertificateBuilder builder = new X509v3CertificateBuilder(
                    X500Name.getInstance(issuer.getSubjectX500Principal().getEncoded()), serial,
                    Date.from(notBefore), Date.from(notAfter), subject(csr.deviceId()), key)
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
                    .addExtension(Extension.keyUsage, true, keyUsage(key))
                    .addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_clientAuth))
                    .addExtension(Extension.subjectKeyIdentifier, false, extensions.createSubjectKeyIdentifier(key))
                    .addExtension(Extension.authorityKeyIdentifier, false,
                            extensions.createAuthorityKeyIdentifier(issuer))
                    .addExtension(Extension.cRLDistributionPoints, false, crlDistributionPoint(profile))
                    .addExtension(Extension.authorityInfoAccess, false, new AuthorityInformationAccess(
                            new AccessDescription(AccessDescription.id_ad_ocsp, uri(profile.ocspUrl().toString()))));
            X509CertificateHolder signed = builder.build(ca.contentSigner());
            X509Certificate certificate = new JcaX509CertificateConverter().setProvider(Providers.BC)
                    .getCertificate(signed);
            certificate.verify(issuer.getPublicKey(), Providers.BC);
            return certificate;
        } catch (IOException | GeneralSecurityException e) {
            throw new IssuanceException("cannot issue a certificate for device " + csr.deviceId() + ": "
                    + e.getMessage(), e);
        }
    }

    static X500Name subject(String deviceId) {
        return new X500NameBuilder(BCStyle.INSTANCE)
                .addRDN(BCStyle.CN, deviceId)
                .addRDN(BCStyle.SERIALNUMBER, deviceId)
                .build();
    }

    private static KeyUsage keyUsage(SubjectPublicKeyInfo key) {
        boolean rsa = key.getAlgorithm().getAlgorithm().equals(PKCSObjectIdentifiers.rsaEncryption);
        return new KeyUsage(rsa ? KeyUsage.digitalSignature | KeyUsage.keyEncipherment : KeyUsage.digitalSignature);
    }

    private static CRLDistPoint crlDistributionPoint(CertificateProfile profile) {
        DistributionPointName name = new DistributionPointName(new GeneralNames(uri(profile.crlUrl().toString())));
        return new CRLDistPoint(new DistributionPoint[] {new DistributionPoint(name, null, null)});
    }

    private static GeneralName uri(String uri) {
        return new GeneralName(GeneralName.uniformResourceIdentifier, uri);
    }

    private static Instant earliest(Instant a, Instant b) {
        return a.isBefore(b) ? a : b;
    }

    /** Issuance failed for a technical reason (backend error, bad CA certificate); nothing was published. */
    public static class IssuanceException extends RuntimeException {
        public IssuanceException(String message, Throwable cause) {
            super(message, cause);
        }
    }

}
