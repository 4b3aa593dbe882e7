package io.imprint.pki.lint;

import java.io.IOException;
import java.math.BigInteger;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1GeneralizedTime;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.asn1.ASN1TaggedObject;
import org.bouncycastle.asn1.edec.EdECObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.AuthorityKeyIdentifier;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.Extensions;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.x509.SubjectKeyIdentifier;
import org.bouncycastle.asn1.x509.TBSCertificate;
import org.bouncycastle.asn1.x509.Time;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.cert.X509CertificateHolder;

/**
 * Pre-issuance lint of an end-entity TBS certificate against RFC 5280, run before the HSM signs anything.
 * It reads the DER the signature would cover, not the builder's inputs, so it checks what would actually be
 * issued. Each finding names the rule and the section it comes from.
 */
public final class TbsCertificateLint {
    private static final int MAX_SERIAL_OCTETS = 20;
    private static final int GENERALIZED_TIME_FROM_YEAR = 2050;

    /** RFC 5280 4.2.1.12: key usage bits compatible with each extended key usage; any one suffices. */
    private static final Map<KeyPurposeId, Integer> USAGE_FOR_PURPOSE = Map.of(
            KeyPurposeId.id_kp_serverAuth, KeyUsage.digitalSignature | KeyUsage.keyEncipherment | KeyUsage.keyAgreement,
            KeyPurposeId.id_kp_clientAuth, KeyUsage.digitalSignature | KeyUsage.keyAgreement,
            KeyPurposeId.id_kp_codeSigning, KeyUsage.digitalSignature,
            KeyPurposeId.id_kp_emailProtection,
                    KeyUsage.digitalSignature
                            | KeyUsage.nonRepudiation
                            | KeyUsage.keyEncipherment
                            | KeyUsage.keyAgreement,
            KeyPurposeId.id_kp_timeStamping, KeyUsage.digitalSignature | KeyUsage.nonRepudiation,
            KeyPurposeId.id_kp_OCSPSigning, KeyUsage.digitalSignature | KeyUsage.nonRepudiation);

    /**
     * What is wrong with a TBS certificate; empty when nothing is.
     *
     * @param tbsDer    the DER of the TBSCertificate the HSM would sign
     * @param issuer    the issuing CA's certificate
     * @param algorithm the signature algorithm the issuing key signs with
     * @return every rule broken; empty when the certificate may be signed
     */
    public List<String> check(byte[] tbsDer, X509Certificate issuer, AlgorithmIdentifier algorithm) {
        List<String> problems = new ArrayList<>();
        ASN1Sequence sequence;
        try {
            sequence = ASN1Sequence.getInstance(ASN1Primitive.fromByteArray(tbsDer));
        } catch (IOException | IllegalArgumentException e) {
            return List.of("TBS certificate is not DER: " + e.getMessage());
        }
        if (duplicateExtensions(sequence, problems)) {
            return problems;
        }
        TBSCertificate tbs = TBSCertificate.getInstance(sequence);
        X509CertificateHolder issuerHolder = holder(issuer);
        Extensions extensions = tbs.getExtensions();

        if (tbs.getVersionNumber() != 3) {
            problems.add("version must be v3, as extensions are present (RFC 5280 4.1.2.1)");
        }
        serial(tbs.getSerialNumber().getValue(), problems);
        if (!tbs.getSignature().equals(algorithm)) {
            problems.add("TBS signature algorithm " + tbs.getSignature().getAlgorithm()
                    + " differs from the issuing key's " + algorithm.getAlgorithm() + " (RFC 5280 4.1.2.3)");
        }
        if (!tbs.getIssuer().equals(issuerHolder.getSubject())) {
            problems.add("issuer name does not match the issuing CA's subject (RFC 5280 4.1.2.4)");
        }
        validity(tbs, issuer, problems);
        if (extensions == null) {
            problems.add("no extensions: key usage, AKI and SKI are required");
            return problems;
        }
        subjectOrCriticalSan(tbs, extensions, problems);
        keyIdentifiers(extensions, issuerHolder, problems);
        basicConstraints(extensions, problems);
        int usage = keyUsage(
                extensions, tbs.getSubjectPublicKeyInfo().getAlgorithm().getAlgorithm(), problems);
        extendedKeyUsage(extensions, usage, problems);
        return problems;
    }

    private static boolean duplicateExtensions(ASN1Sequence tbs, List<String> problems) {
        for (ASN1Encodable element : tbs) {
            if (element instanceof ASN1TaggedObject tagged && tagged.getTagNo() == 3) {
                Set<ASN1ObjectIdentifier> seen = new HashSet<>();
                for (ASN1Encodable extension : ASN1Sequence.getInstance(tagged.getExplicitBaseObject())) {
                    ASN1ObjectIdentifier oid = ASN1ObjectIdentifier.getInstance(
                            ASN1Sequence.getInstance(extension).getObjectAt(0));
                    if (!seen.add(oid)) {
                        problems.add("extension " + oid + " appears more than once (RFC 5280 4.2)");
                    }
                }
            }
        }
        return !problems.isEmpty();
    }

    private static void serial(BigInteger serial, List<String> problems) {
        if (serial.signum() <= 0) {
            problems.add("serial number must be positive (RFC 5280 4.1.2.2)");
        }
        if (serial.toByteArray().length > MAX_SERIAL_OCTETS) {
            problems.add("serial number is longer than 20 octets (RFC 5280 4.1.2.2)");
        }
    }

    private static void validity(TBSCertificate tbs, X509Certificate issuer, List<String> problems) {
        timeEncoding("notBefore", tbs.getStartDate(), problems);
        timeEncoding("notAfter", tbs.getEndDate(), problems);
        Instant notBefore = tbs.getStartDate().getDate().toInstant();
        Instant notAfter = tbs.getEndDate().getDate().toInstant();
        if (!notBefore.isBefore(notAfter)) {
            problems.add("notBefore is not before notAfter");
        }
        if (notBefore.isBefore(issuer.getNotBefore().toInstant())
                || notAfter.isAfter(issuer.getNotAfter().toInstant())) {
            problems.add("validity " + notBefore + " to " + notAfter + " is not inside the issuing CA's "
                    + issuer.getNotBefore().toInstant() + " to "
                    + issuer.getNotAfter().toInstant());
        }
    }

    /** RFC 5280 4.1.2.5: UTCTime through 2049, GeneralizedTime from 2050, both in Zulu with seconds. */
    private static void timeEncoding(String field, Time time, List<String> problems) {
        ASN1Primitive primitive = time.toASN1Primitive();
        int year = time.getDate().toInstant().atZone(ZoneOffset.UTC).getYear();
        boolean generalized = primitive instanceof ASN1GeneralizedTime;
        if (year < GENERALIZED_TIME_FROM_YEAR && generalized) {
            problems.add(field + " in " + year + " must be UTCTime, not GeneralizedTime (RFC 5280 4.1.2.5)");
        } else if (year >= GENERALIZED_TIME_FROM_YEAR && !generalized) {
            problems.add(field + " in " + year + " must be GeneralizedTime (RFC 5280 4.1.2.5)");
        }
        String text = contentOf(primitive);
        if (text.length() != (generalized ? 15 : 13) || !text.endsWith("Z")) {
            problems.add(field + " '" + text + "' must be Zulu time with seconds and no fraction (RFC 5280 4.1.2.5)");
        }
    }

    /** The characters of a DER time as encoded, which is what a relying party parses. */
    private static String contentOf(ASN1Primitive time) {
        try {
            byte[] der = time.getEncoded();
            return new String(der, 2, der[1], java.nio.charset.StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot encode a time", e);
        }
    }

    private static void subjectOrCriticalSan(TBSCertificate tbs, Extensions extensions, List<String> problems) {
        if (tbs.getSubject().getRDNs().length > 0) {
            return;
        }
        Extension san = extensions.getExtension(Extension.subjectAlternativeName);
        if (san == null) {
            problems.add("empty subject and no subjectAltName: the certificate names nobody (RFC 5280 4.1.2.6)");
        } else if (!san.isCritical()) {
            problems.add("empty subject requires a critical subjectAltName (RFC 5280 4.2.1.6)");
        }
    }

    private static void keyIdentifiers(Extensions extensions, X509CertificateHolder issuer, List<String> problems) {
        AuthorityKeyIdentifier aki = AuthorityKeyIdentifier.fromExtensions(extensions);
        if (aki == null || aki.getKeyIdentifierOctets() == null) {
            problems.add("authority key identifier with keyIdentifier is missing (RFC 5280 4.2.1.1)");
        } else {
            SubjectKeyIdentifier issuerSki = SubjectKeyIdentifier.fromExtensions(issuer.getExtensions());
            if (issuerSki != null && !Arrays.equals(issuerSki.getKeyIdentifier(), aki.getKeyIdentifierOctets())) {
                problems.add("authority key identifier does not match the issuing CA's subject key identifier");
            }
            if (extensions.getExtension(Extension.authorityKeyIdentifier).isCritical()) {
                problems.add("authority key identifier must not be critical (RFC 5280 4.2.1.1)");
            }
        }
        if (SubjectKeyIdentifier.fromExtensions(extensions) == null) {
            problems.add("subject key identifier is missing (RFC 5280 4.2.1.2)");
        }
    }

    private static void basicConstraints(Extensions extensions, List<String> problems) {
        BasicConstraints constraints = BasicConstraints.fromExtensions(extensions);
        if (constraints != null && constraints.isCA()) {
            problems.add("a device certificate must not be a CA (basicConstraints cA true)");
        }
    }

    /** Returns the key usage bits, after checking them against the subject key's type. */
    private static int keyUsage(Extensions extensions, ASN1ObjectIdentifier keyType, List<String> problems) {
        Extension extension = extensions.getExtension(Extension.keyUsage);
        if (extension == null) {
            problems.add("key usage is missing");
            return 0;
        }
        if (!extension.isCritical()) {
            problems.add("key usage should be critical (RFC 5280 4.2.1.3)");
        }
        KeyUsage usage = KeyUsage.getInstance(extension.getParsedValue());
        int bits = usage.getBytes().length == 0 ? 0 : bits(usage);
        if (bits == 0) {
            problems.add("key usage has no bit set (RFC 5280 4.2.1.3)");
        }
        if ((bits & (KeyUsage.keyCertSign | KeyUsage.cRLSign)) != 0) {
            problems.add("keyCertSign or cRLSign in an end-entity certificate (RFC 5280 4.2.1.3)");
        }
        if (keyType.equals(X9ObjectIdentifiers.id_ecPublicKey)
                && (bits & (KeyUsage.keyEncipherment | KeyUsage.dataEncipherment)) != 0) {
            problems.add("keyEncipherment or dataEncipherment with an EC key, which cannot encrypt (RFC 5480 3)");
        }
        if (keyType.equals(PKCSObjectIdentifiers.rsaEncryption)
                && (bits & (KeyUsage.keyAgreement | KeyUsage.encipherOnly | KeyUsage.decipherOnly)) != 0) {
            problems.add("keyAgreement with an RSA key (RFC 4055 1.2)");
        }
        if ((keyType.equals(EdECObjectIdentifiers.id_Ed25519) || keyType.equals(EdECObjectIdentifiers.id_Ed448))
                && (bits & ~(KeyUsage.digitalSignature | KeyUsage.nonRepudiation)) != 0) {
            problems.add("an EdDSA key may only sign: digitalSignature, nonRepudiation (RFC 8410 5)");
        }
        return bits;
    }

    private static int bits(KeyUsage usage) {
        int bits = 0;
        for (int bit : new int[] {
            KeyUsage.digitalSignature,
            KeyUsage.nonRepudiation,
            KeyUsage.keyEncipherment,
            KeyUsage.dataEncipherment,
            KeyUsage.keyAgreement,
            KeyUsage.keyCertSign,
            KeyUsage.cRLSign,
            KeyUsage.encipherOnly,
            KeyUsage.decipherOnly
        }) {
            if (usage.hasUsages(bit)) {
                bits |= bit;
            }
        }
        return bits;
    }

    private static void extendedKeyUsage(Extensions extensions, int usage, List<String> problems) {
        ExtendedKeyUsage eku = ExtendedKeyUsage.fromExtensions(extensions);
        if (eku == null) {
            return;
        }
        if (eku.size() == 0) {
            problems.add("extended key usage is empty (RFC 5280 4.2.1.12)");
        }
        for (KeyPurposeId purpose : eku.getUsages()) {
            if (purpose.equals(KeyPurposeId.anyExtendedKeyUsage)) {
                problems.add("anyExtendedKeyUsage in a device certificate");
                continue;
            }
            Integer compatible = USAGE_FOR_PURPOSE.get(purpose);
            if (compatible != null && (usage & compatible) == 0) {
                problems.add("extended key usage " + purpose.getId() + " is inconsistent with the key usage"
                        + " (RFC 5280 4.2.1.12)");
            }
        }
    }

    private static X509CertificateHolder holder(X509Certificate certificate) {
        try {
            return new X509CertificateHolder(certificate.getEncoded());
        } catch (IOException | java.security.cert.CertificateEncodingException e) {
            throw new IllegalArgumentException("cannot parse the issuing CA certificate", e);
        }
    }
}
