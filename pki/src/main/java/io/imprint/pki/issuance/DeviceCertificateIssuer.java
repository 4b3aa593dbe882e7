package io.imprint.pki.issuance;

import io.imprint.contracts.ReasonCode;
import io.imprint.pki.CertificateTemplates;
import io.imprint.pki.Providers;
import io.imprint.pki.RequestRejectedException;
import io.imprint.pki.csr.SignatureVerifier;
import io.imprint.pki.csr.ValidatedCsr;
import io.imprint.pki.keys.EcKeys;
import io.imprint.pki.keys.SigningPool;
import io.imprint.pki.lint.TbsCertificateLint;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import java.util.List;
import java.util.Set;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.DERBitString;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.DERSequence;
import org.bouncycastle.asn1.DERTaggedObject;
import org.bouncycastle.asn1.edec.EdECObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.AccessDescription;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.AuthorityInformationAccess;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Certificate;
import org.bouncycastle.asn1.x509.CertificatePolicies;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.x509.PolicyInformation;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.operator.ContentSigner;

/**
 * Issues IEEE 802.1AR IDevID-style device certificates. The pipeline, in order (docs/ISSUANCE.md):
 * <ol>
 * <li>take only the public key from the validated CSR;</li>
 * <li>build the TBS certificate from the profile, with serial and notBefore given by the caller (derived
 * from the request, so a retry rebuilds the very same bytes);</li>
 * <li>lint the TBS DER ({@link TbsCertificateLint}); any finding rejects the request with
 * {@code LINT_FAILED} and nothing is signed;</li>
 * <li>sign exactly those bytes inside the key backend ({@link SigningPool});</li>
 * <li>verify the signature with the issuer's public key before anyone sees the certificate.</li>
 * </ol>
 */
public final class DeviceCertificateIssuer {
    /** RFC 4108 id-on-hardwareModuleName. */
    static final ASN1ObjectIdentifier HARDWARE_MODULE_NAME = new ASN1ObjectIdentifier("1.3.6.1.5.5.7.8.4");

    private final TbsCertificateLint lint = new TbsCertificateLint();

    public X509Certificate issue(
            ValidatedCsr csr, SigningPool ca, CertificateProfile profile, BigInteger serial, Instant notBefore)
            throws RequestRejectedException {
        X509Certificate issuer = ca.key().certificate();
        byte[] tbs = tbs(csr, issuer, ca.algorithm(), profile, serial, notBefore);
        List<String> problems = lint.check(tbs, issuer, ca.algorithm());
        if (!problems.isEmpty()) {
            throw new RequestRejectedException(
                    ReasonCode.LINT_FAILED,
                    "pre-issuance lint of profile '" + profile.name() + "' failed: " + String.join("; ", problems));
        }
        byte[] signature = ca.sign(tbs);
        try {
            Certificate signed = Certificate.getInstance(new DERSequence(
                    new ASN1Encodable[] {ASN1Primitive.fromByteArray(tbs), ca.algorithm(), new DERBitString(signature)
                    }));
            X509Certificate certificate = new JcaX509CertificateConverter()
                    .setProvider(Providers.BC)
                    .getCertificate(new X509CertificateHolder(signed));
            if (!SignatureVerifier.verifyCertificate(certificate, ca.verificationKey())) {
                throw new GeneralSecurityException("signature");
            }
            return certificate;
        } catch (IOException | GeneralSecurityException e) {
            throw new IssuanceException(
                    "the certificate signed for device " + csr.deviceId()
                            + " does not verify with the issuing CA's public key: " + e.getMessage(),
                    e);
        }
    }

    /**
     * What the lint finds in a certificate {@code ca} would issue with {@code profile}, for a probe P-256 device
     * key: empty when the profile is fit to use. The signer runs it at start for every profile and CA it
     * holds, so a profile the lint would refuse stops the signer instead of failing each request. Whether the
     * validity fits inside the CA's depends on the day, and is left to issuance: a CA kept after a rollover
     * only to sign CRLs may outlive no profile, and must not stop the signer. The probe then lasts until the
     * CA expires.
     */
    public List<String> lintProfile(CertificateProfile profile, SigningPool ca, Instant now) {
        X509Certificate issuer = ca.key().certificate();
        Instant caNotAfter = issuer.getNotAfter().toInstant();
        Instant notBefore = now.truncatedTo(ChronoUnit.SECONDS);
        CertificateProfile probed = profile.notAfter(notBefore).isAfter(caNotAfter)
                ? profile.withValidity(Duration.between(notBefore, caNotAfter))
                : profile;
        byte[] tbs = tbs(probe(), issuer, ca.algorithm(), probed, BigInteger.ONE, notBefore);
        return lint.check(tbs, issuer, ca.algorithm());
    }

    private static ValidatedCsr probe() {
        KeyPair key = EcKeys.p256();
        return new ValidatedCsr(
                "lint-probe",
                SubjectPublicKeyInfo.getInstance(key.getPublic().getEncoded()),
                key.getPublic(),
                Set.of());
    }

    /** The DER TBS certificate for the request; the same inputs give the same bytes. */
    static byte[] tbs(
            ValidatedCsr csr,
            X509Certificate issuer,
            AlgorithmIdentifier algorithm,
            CertificateProfile profile,
            BigInteger serial,
            Instant requestedNotBefore) {
        Instant notBefore = requestedNotBefore.truncatedTo(ChronoUnit.SECONDS);
        try {
            JcaX509ExtensionUtils extensions = new JcaX509ExtensionUtils();
            SubjectPublicKeyInfo key = csr.publicKeyInfo();
            boolean emptySubject = profile.subject() == CertificateProfile.SubjectForm.EMPTY;
            X509v3CertificateBuilder builder = new X509v3CertificateBuilder(
                            X500Name.getInstance(
                                    issuer.getSubjectX500Principal().getEncoded()),
                            serial,
                            Date.from(notBefore),
                            Date.from(profile.notAfter(notBefore)),
                            emptySubject
                                    ? new X500Name(new org.bouncycastle.asn1.x500.RDN[0])
                                    : subject(csr.deviceId()),
                            key)
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
                    .addExtension(Extension.keyUsage, true, keyUsage(profile, key))
                    .addExtension(Extension.subjectKeyIdentifier, false, extensions.createSubjectKeyIdentifier(key))
                    .addExtension(
                            Extension.authorityKeyIdentifier,
                            false,
                            CertificateTemplates.authorityKeyIdentifier(issuer));
            if (!profile.extendedKeyUsage().isEmpty()) {
                builder.addExtension(
                        Extension.extendedKeyUsage,
                        false,
                        new ExtendedKeyUsage(profile.purposes().toArray(new KeyPurposeId[0])));
            }
            if (profile.hardwareModuleType() != null) {
                builder.addExtension(
                        Extension.subjectAlternativeName,
                        emptySubject,
                        new GeneralNames(hardwareModuleName(profile.hardwareModuleType(), csr.deviceId())));
            }
            if (!profile.policies().isEmpty()) {
                builder.addExtension(
                        Extension.certificatePolicies,
                        false,
                        new CertificatePolicies(profile.policies().stream()
                                .map(oid -> new PolicyInformation(new ASN1ObjectIdentifier(oid)))
                                .toArray(PolicyInformation[]::new)));
            }
            if (profile.crl() != null) {
                int shard = profile.crl().shardOf(serial);
                builder.addExtension(
                        Extension.cRLDistributionPoints,
                        false,
                        CertificateTemplates.crlDistributionPoint(profile.crl().crlUrl(shard)));
                if (profile.crl().deltaCrlUrl() != null) {
                    builder.addExtension(
                            Extension.freshestCRL,
                            false,
                            CertificateTemplates.crlDistributionPoint(
                                    profile.crl().deltaCrlUrl(shard)));
                }
            }
            if (profile.ocspUrl() != null) {
                builder.addExtension(
                        Extension.authorityInfoAccess,
                        false,
                        new AuthorityInformationAccess(new AccessDescription(
                                AccessDescription.id_ad_ocsp,
                                uri(profile.ocspUrl().toString()))));
            }
            return builder.build(new TbsCapture(algorithm))
                    .toASN1Structure()
                    .getTBSCertificate()
                    .getEncoded(ASN1Encoding.DER);
        } catch (IOException | GeneralSecurityException e) {
            throw new IssuanceException(
                    "cannot build a certificate for device " + csr.deviceId() + ": " + e.getMessage(), e);
        }
    }

    static X500Name subject(String deviceId) {
        return new X500NameBuilder(BCStyle.INSTANCE)
                .addRDN(BCStyle.CN, deviceId)
                .addRDN(BCStyle.SERIALNUMBER, deviceId)
                .build();
    }

    /** The profile's bits, or those matched to the key: EC and EdDSA sign, RSA also encrypts keys. */
    private static KeyUsage keyUsage(CertificateProfile profile, SubjectPublicKeyInfo key) {
        int configured = profile.keyUsageBits();
        if (configured != 0) {
            return new KeyUsage(configured);
        }
        ASN1ObjectIdentifier type = key.getAlgorithm().getAlgorithm();
        if (type.equals(PKCSObjectIdentifiers.rsaEncryption)) {
            return new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment);
        }
        if (type.equals(EdECObjectIdentifiers.id_X25519) || type.equals(EdECObjectIdentifiers.id_X448)) {
            return new KeyUsage(KeyUsage.keyAgreement);
        }
        return new KeyUsage(KeyUsage.digitalSignature);
    }

    /** RFC 4108 HardwareModuleName in an otherName: {hwType, hwSerialNum = the device id}. */
    private static GeneralName hardwareModuleName(String hardwareType, String deviceId) {
        DERSequence value = new DERSequence(new ASN1Encodable[] {
            new ASN1ObjectIdentifier(hardwareType), new DEROctetString(deviceId.getBytes(StandardCharsets.UTF_8))
        });
        return new GeneralName(
                GeneralName.otherName,
                new DERSequence(new ASN1Encodable[] {HARDWARE_MODULE_NAME, new DERTaggedObject(true, 0, value)}));
    }

    private static GeneralName uri(String uri) {
        return new GeneralName(GeneralName.uniformResourceIdentifier, uri);
    }

    /**
     * Lets BouncyCastle's builder produce the TBS bytes without signing them: the real signature comes only
     * after the lint, from the HSM, over exactly these bytes.
     */
    private static final class TbsCapture implements ContentSigner {
        private final AlgorithmIdentifier algorithm;
        private final ByteArrayOutputStream ignored = new ByteArrayOutputStream();

        TbsCapture(AlgorithmIdentifier algorithm) {
            this.algorithm = algorithm;
        }

        @Override
        public AlgorithmIdentifier getAlgorithmIdentifier() {
            return algorithm;
        }

        @Override
        public OutputStream getOutputStream() {
            return ignored;
        }

        @Override
        public byte[] getSignature() {
            return new byte[0];
        }
    }

    /** Issuance failed for a technical reason (backend error, bad CA certificate); nothing was published. */
    public static class IssuanceException extends RuntimeException {
        public IssuanceException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
