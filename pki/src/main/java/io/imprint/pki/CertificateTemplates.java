package io.imprint.pki;

import io.imprint.pki.keys.CaKey;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Date;
import org.bouncycastle.asn1.DERNull;
import org.bouncycastle.asn1.ocsp.OCSPObjectIdentifiers;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.x509.NameConstraints;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.ContentSigner;

/**
 * Certificates of the trust hierarchy other than device certificates: root and subordinate CAs, the
 * delegated OCSP responder, and short-lived station certificates. Each is signed inside the issuer's key
 * backend and verified before it is returned.
 */
public final class CertificateTemplates {
    private CertificateTemplates() {
    }

    /** A self-signed root: CA:true critical, keyCertSign and cRLSign. */
    public static X509Certificate selfSignedRoot(X500Name subject, PublicKey key, ContentSigner signer,
            Instant notBefore, Instant notAfter) {
        try {
            JcaX509ExtensionUtils utils = new JcaX509ExtensionUtils();
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(subject, Serials.random(),
                    Date.from(notBefore), Date.from(notAfter), subject, key)
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(true))
                    .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign))
                    .addExtension(Extension.subjectKeyIdentifier, false, utils.createSubjectKeyIdentifier(key));
            return verified(builder, signer, key);
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot build root certificate: " + e.getMessage(), e);
        }
    }

    /** A CA below {@code issuer}, with a path length constraint. */
    public static X509Certificate subordinateCa(CaKey issuer, X500Name subject, PublicKey key, int pathLength,
            Instant notBefore, Instant notAfter) {
        return subordinateCa(issuer, subject, key, pathLength, notBefore, notAfter, null);
    }

    /**
     * A CA below {@code issuer} whose certificates must also fall inside {@code constraints} (RFC 5280
     * 4.2.1.10, critical), so a per-factory CA cannot name devices outside its factory.
     */
    public static X509Certificate subordinateCa(CaKey issuer, X500Name subject, PublicKey key, int pathLength,
            Instant notBefore, Instant notAfter, NameConstraints constraints) {
        return issue(issuer, subject, key, notBefore, notAfter, new BasicConstraints(pathLength),
                new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign), null, false, constraints);
    }

    /** A delegated OCSP responder (RFC 6960 4.2.2.2): id-kp-OCSPSigning and id-pkix-ocsp-nocheck. */
    public static X509Certificate ocspResponder(CaKey issuer, X500Name subject, PublicKey key, Instant notBefore,
            Instant notAfter) {
        return issue(issuer, subject, key, notBefore, notAfter, new BasicConstraints(false),
                new KeyUsage(KeyUsage.digitalSignature), new ExtendedKeyUsage(KeyPurposeId.id_kp_OCSPSigning), true, null);
    }

    /** An end-entity certificate used to authenticate as a client (stations). */
    public static X509Certificate clientAuth(CaKey issuer, X500Name subject, PublicKey key, Instant notBefore,
            Instant notAfter) {
        return issue(issuer, subject, key, notBefore, notAfter, new BasicConstraints(false),
                new KeyUsage(KeyUsage.digitalSignature), new ExtendedKeyUsage(KeyPurposeId.id_kp_clientAuth), false, null);
    }

    private static X509Certificate issue(CaKey issuer, X500Name subject, PublicKey key, Instant notBefore,
            Instant notAfter, BasicConstraints constraints, KeyUsage usage, ExtendedKeyUsage extendedUsage,
            boolean ocspNoCheck, NameConstraints nameConstraints) {
        try {
            JcaX509ExtensionUtils utils = new JcaX509ExtensionUtils();
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(issuer.certificate(), Serials.random(),
                    Date.from(notBefore), Date.from(notAfter), subject, key)
                    .addExtension(Extension.basicConstraints, true, constraints)
                    .addExtension(Extension.keyUsage, true, usage)
                    .addExtension(Extension.subjectKeyIdentifier, false, utils.createSubjectKeyIdentifier(key))
                    .addExtension(Extension.authorityKeyIdentifier, false,
                            utils.createAuthorityKeyIdentifier(issuer.certificate()));
            if (extendedUsage != null) {
                builder.addExtension(Extension.extendedKeyUsage, false, extendedUsage);
            }
            if (nameConstraints != null) {
                builder.addExtension(Extension.nameConstraints, true, nameConstraints);
            }
            if (ocspNoCheck) {
                builder.addExtension(OCSPObjectIdentifiers.id_pkix_ocsp_nocheck, false, DERNull.INSTANCE);
            }
            return verified(builder, issuer.contentSigner(), issuer.certificate().getPublicKey());
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot issue certificate for " + subject + ": " + e.getMessage(), e);
        }
    }

    private static X509Certificate verified(X509v3CertificateBuilder builder, ContentSigner signer,
            PublicKey issuerKey) throws GeneralSecurityException {
        X509Certificate certificate = new JcaX509CertificateConverter().setProvider(Providers.BC)
                .getCertificate(builder.build(signer));
        certificate.verify(issuerKey, Providers.BC);
        return certificate;
    }

}
