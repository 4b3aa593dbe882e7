package io.imprint.pki;

import io.imprint.pki.csr.SignatureVerifier;
import io.imprint.pki.keys.CaKey;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.DERNull;
import org.bouncycastle.asn1.ocsp.OCSPObjectIdentifiers;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.AuthorityKeyIdentifier;
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
import org.bouncycastle.asn1.x509.NameConstraints;
import org.bouncycastle.asn1.x509.SubjectKeyIdentifier;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.ContentSigner;

/**
 * Certificates of the trust hierarchy other than device certificates: root and subordinate CAs, the
 * delegated OCSP responder, short-lived station certificates and service identities. Each is signed inside the issuer's key
 * backend and verified before it is returned.
 */
public final class CertificateTemplates {
    private CertificateTemplates() {}

    /** A self-signed root: CA:true critical, keyCertSign and cRLSign. */
    public static X509Certificate selfSignedRoot(
            X500Name subject, PublicKey key, ContentSigner signer, Instant notBefore, Instant notAfter) {
        try {
            JcaX509ExtensionUtils utils = new JcaX509ExtensionUtils();
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(
                            subject, Serials.random(), Date.from(notBefore), Date.from(notAfter), subject, key)
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(true))
                    .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign))
                    .addExtension(Extension.subjectKeyIdentifier, false, utils.createSubjectKeyIdentifier(key));
            return verified(builder, signer, key);
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot build root certificate: " + e.getMessage(), e);
        }
    }

    /**
     * A self-signed certificate that is no CA (CA:false, critical; no key usage): a stand-in that keeps a key listed
     * in a PKCS#11 key store until its real certificate arrives, and could certify nothing if used by mistake.
     */
    public static X509Certificate selfSignedEndEntity(
            X500Name subject, PublicKey key, ContentSigner signer, Instant notBefore, Instant notAfter) {
        try {
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(
                            subject, Serials.random(), Date.from(notBefore), Date.from(notAfter), subject, key)
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
            return verified(builder, signer, key);
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot build a self-signed certificate: " + e.getMessage(), e);
        }
    }

    /** A CA below {@code issuer}, with a path length constraint. */
    public static X509Certificate subordinateCa(
            CaKey issuer, X500Name subject, PublicKey key, int pathLength, Instant notBefore, Instant notAfter) {
        return subordinateCa(issuer, subject, key, pathLength, notBefore, notAfter, null);
    }

    /**
     * A CA below {@code issuer} whose certificates must also fall inside {@code constraints} (RFC 5280
     * 4.2.1.10, critical), so a per-factory CA cannot name devices outside its factory.
     */
    public static X509Certificate subordinateCa(
            CaKey issuer,
            X500Name subject,
            PublicKey key,
            int pathLength,
            Instant notBefore,
            Instant notAfter,
            NameConstraints constraints) {
        return subordinateCa(issuer, subject, key, pathLength, notBefore, notAfter, constraints, null);
    }

    /**
     * As {@link #subordinateCa(CaKey, X500Name, PublicKey, int, Instant, Instant, NameConstraints)}, with the URL of
     * the CRL on which {@code issuer} would list this CA (its ARL), so a relying party checking the whole chain
     * ({@code openssl verify -crl_check_all}) finds it and a revoked CA fails every certificate below it.
     *
     * @param crlUrl the issuer's CRL distribution point; null for none
     */
    public static X509Certificate subordinateCa(
            CaKey issuer,
            X500Name subject,
            PublicKey key,
            int pathLength,
            Instant notBefore,
            Instant notAfter,
            NameConstraints constraints,
            String crlUrl) {
        return issue(
                issuer,
                subject,
                key,
                notBefore,
                notAfter,
                new BasicConstraints(pathLength),
                new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign),
                null,
                false,
                constraints,
                null,
                crlUrl);
    }

    /** A delegated OCSP responder (RFC 6960 4.2.2.2): id-kp-OCSPSigning and id-pkix-ocsp-nocheck. */
    public static X509Certificate ocspResponder(
            CaKey issuer, X500Name subject, PublicKey key, Instant notBefore, Instant notAfter) {
        return issue(
                issuer,
                subject,
                key,
                notBefore,
                notAfter,
                new BasicConstraints(false),
                new KeyUsage(KeyUsage.digitalSignature),
                new ExtendedKeyUsage(KeyPurposeId.id_kp_OCSPSigning),
                true,
                null);
    }

    /**
     * The audit log's signing certificate: digitalSignature and contentCommitment (what it signs, checkpoints
     * and signed-off reports, are statements a third party holds Imprint to), nothing else.
     */
    public static X509Certificate auditLog(
            CaKey issuer, X500Name subject, PublicKey key, Instant notBefore, Instant notAfter) {
        return issue(
                issuer,
                subject,
                key,
                notBefore,
                notAfter,
                new BasicConstraints(false),
                new KeyUsage(KeyUsage.digitalSignature | KeyUsage.nonRepudiation),
                null,
                false,
                null);
    }

    /** An end-entity certificate used to authenticate as a client (stations). */
    public static X509Certificate clientAuth(
            CaKey issuer, X500Name subject, PublicKey key, Instant notBefore, Instant notAfter) {
        return issue(
                issuer,
                subject,
                key,
                notBefore,
                notAfter,
                new BasicConstraints(false),
                new KeyUsage(KeyUsage.digitalSignature),
                new ExtendedKeyUsage(KeyPurposeId.id_kp_clientAuth),
                false,
                null);
    }

    /**
     * A service's identity (Kafka client, signer of commands): clientAuth, and serverAuth with the given
     * subjectAltNames when it also serves TLS (the broker). Host names that parse as IP addresses become
     * iPAddress names, others dNSName.
     */
    public static X509Certificate serviceIdentity(
            CaKey issuer,
            X500Name subject,
            PublicKey key,
            Instant notBefore,
            Instant notAfter,
            List<String> serverNames) {
        if (serverNames.isEmpty()) {
            return clientAuth(issuer, subject, key, notBefore, notAfter);
        }
        GeneralName[] names = serverNames.stream()
                .map(n -> n.matches("[0-9.]+|.*:.*")
                        ? new GeneralName(GeneralName.iPAddress, n)
                        : new GeneralName(GeneralName.dNSName, n))
                .toArray(GeneralName[]::new);
        return issue(
                issuer,
                subject,
                key,
                notBefore,
                notAfter,
                new BasicConstraints(false),
                new KeyUsage(KeyUsage.digitalSignature),
                new ExtendedKeyUsage(new KeyPurposeId[] {KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth}),
                false,
                null,
                new GeneralNames(names),
                null);
    }

    /**
     * RFC 5280 4.2.1.1 keyIdentifier only, copied from the issuer's subject key identifier: no issuer name
     * and serial, which would tie the certificate to one certificate of the issuer instead of its key.
     */
    public static AuthorityKeyIdentifier authorityKeyIdentifier(X509Certificate issuer) {
        byte[] ski = issuer.getExtensionValue(Extension.subjectKeyIdentifier.getId());
        if (ski != null) {
            return new AuthorityKeyIdentifier(SubjectKeyIdentifier.getInstance(
                            ASN1OctetString.getInstance(ski).getOctets())
                    .getKeyIdentifier());
        }
        try {
            return new AuthorityKeyIdentifier(new JcaX509ExtensionUtils()
                    .createSubjectKeyIdentifier(issuer.getPublicKey())
                    .getKeyIdentifier());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-1 is missing from this JDK", e);
        }
    }

    private static X509Certificate issue(
            CaKey issuer,
            X500Name subject,
            PublicKey key,
            Instant notBefore,
            Instant notAfter,
            BasicConstraints constraints,
            KeyUsage usage,
            ExtendedKeyUsage extendedUsage,
            boolean ocspNoCheck,
            NameConstraints nameConstraints) {
        return issue(
                issuer,
                subject,
                key,
                notBefore,
                notAfter,
                constraints,
                usage,
                extendedUsage,
                ocspNoCheck,
                nameConstraints,
                null,
                null);
    }

    private static X509Certificate issue(
            CaKey issuer,
            X500Name subject,
            PublicKey key,
            Instant notBefore,
            Instant notAfter,
            BasicConstraints constraints,
            KeyUsage usage,
            ExtendedKeyUsage extendedUsage,
            boolean ocspNoCheck,
            NameConstraints nameConstraints,
            GeneralNames subjectAltNames,
            String crlUrl) {
        try {
            JcaX509ExtensionUtils utils = new JcaX509ExtensionUtils();
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(
                            issuer.certificate(),
                            Serials.random(),
                            Date.from(notBefore),
                            Date.from(notAfter),
                            subject,
                            key)
                    .addExtension(Extension.basicConstraints, true, constraints)
                    .addExtension(Extension.keyUsage, true, usage)
                    .addExtension(Extension.subjectKeyIdentifier, false, utils.createSubjectKeyIdentifier(key))
                    .addExtension(
                            Extension.authorityKeyIdentifier, false, authorityKeyIdentifier(issuer.certificate()));
            if (extendedUsage != null) {
                builder.addExtension(Extension.extendedKeyUsage, false, extendedUsage);
            }
            if (subjectAltNames != null) {
                builder.addExtension(Extension.subjectAlternativeName, false, subjectAltNames);
            }
            if (nameConstraints != null) {
                builder.addExtension(Extension.nameConstraints, true, nameConstraints);
            }
            if (ocspNoCheck) {
                builder.addExtension(OCSPObjectIdentifiers.id_pkix_ocsp_nocheck, false, DERNull.INSTANCE);
            }
            if (crlUrl != null) {
                builder.addExtension(Extension.cRLDistributionPoints, false, crlDistributionPoint(crlUrl));
            }
            return verified(
                    builder, issuer.contentSigner(), issuer.certificate().getPublicKey());
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot issue certificate for " + subject + ": " + e.getMessage(), e);
        }
    }

    /** One distribution point with one URI (RFC 5280 4.2.1.13). */
    public static CRLDistPoint crlDistributionPoint(String url) {
        return new CRLDistPoint(new DistributionPoint[] {
            new DistributionPoint(
                    new DistributionPointName(
                            new GeneralNames(new GeneralName(GeneralName.uniformResourceIdentifier, url))),
                    null,
                    null)
        });
    }

    private static X509Certificate verified(X509v3CertificateBuilder builder, ContentSigner signer, PublicKey issuerKey)
            throws GeneralSecurityException {
        X509Certificate certificate =
                new JcaX509CertificateConverter().setProvider(Providers.BC).getCertificate(builder.build(signer));
        if (!SignatureVerifier.verifyCertificate(certificate, issuerKey)) {
            throw new GeneralSecurityException("the certificate just signed does not verify with the issuer's key");
        }
        return certificate;
    }
}
