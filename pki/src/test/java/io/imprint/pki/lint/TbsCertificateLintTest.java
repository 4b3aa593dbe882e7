package io.imprint.pki.lint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.imprint.pki.TestPki;
import java.math.BigInteger;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.function.Consumer;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1EncodableVector;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1GeneralizedTime;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.asn1.ASN1TaggedObject;
import org.bouncycastle.asn1.DERSequence;
import org.bouncycastle.asn1.DERTaggedObject;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.Extensions;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.x509.Time;
import org.bouncycastle.asn1.x509.V3TBSCertificateGenerator;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.operator.DefaultSignatureAlgorithmIdentifierFinder;
import org.junit.jupiter.api.Test;

/** Each rule of the pre-issuance lint, on TBS certificates built field by field. */
class TbsCertificateLintTest {
    private static final TestPki PKI = new TestPki();
    private static final X509Certificate ISSUER = PKI.issuing.certificate();
    private static final AlgorithmIdentifier ECDSA_SHA256 =
            new DefaultSignatureAlgorithmIdentifierFinder().find("SHA256withECDSA");
    private static final KeyPair DEVICE = TestPki.ec("secp256r1");

    private final TbsCertificateLint lint = new TbsCertificateLint();

    @Test
    void okTbsPassesEveryRule() {
        assertEquals(List.of(), lint.check(tbs(t -> {}), ISSUER, ECDSA_SHA256));
    }

    @Test
    void eachBrokenRuleIsNamed() {
        record Case(String name, Consumer<Tbs> change, String finding) {}
        List<Case> cases = List.of(
                new Case("fail-zero-serial", t -> t.serial = BigInteger.ZERO, "must be positive"),
                new Case("fail-negative-serial", t -> t.serial = BigInteger.valueOf(-5), "must be positive"),
                new Case(
                        "fail-21-octet-serial", t -> t.serial = BigInteger.ONE.shiftLeft(160), "longer than 20 octets"),
                new Case(
                        "fail-generalized-time-before-2050",
                        t -> t.notBefore = new Time(new ASN1GeneralizedTime("20261124120000Z")),
                        "must be UTCTime"),
                new Case(
                        "fail-not-after-before-not-before",
                        t -> t.notAfter = new Time(Date.from(TestPki.NOW.minusSeconds(1))),
                        "is not before notAfter"),
                new Case(
                        "fail-fractional-seconds",
                        t -> t.notAfter = new Time(new ASN1GeneralizedTime("99991231235959.5Z")),
                        "no fraction"),
                new Case(
                        "fail-validity-before-issuer",
                        t -> t.notBefore = new Time(
                                Date.from(ISSUER.getNotBefore().toInstant().minusSeconds(86400))),
                        "not inside the issuing CA's"),
                new Case(
                        "fail-no-aki",
                        t -> t.extensions.removeIf(e -> e.getExtnId().equals(Extension.authorityKeyIdentifier)),
                        "authority key identifier with keyIdentifier is missing"),
                new Case(
                        "fail-aki-of-another-ca",
                        t -> t.replace(aki(PKI.stationCa.certificate())),
                        "does not match the issuing CA's subject key identifier"),
                new Case(
                        "fail-no-ski",
                        t -> t.extensions.removeIf(e -> e.getExtnId().equals(Extension.subjectKeyIdentifier)),
                        "subject key identifier is missing"),
                new Case(
                        "fail-empty-subject-no-san",
                        t -> t.subject = new X500Name(new org.bouncycastle.asn1.x500.RDN[0]),
                        "empty subject and no subjectAltName"),
                new Case(
                        "fail-ca-true",
                        t -> t.replace(extension(Extension.basicConstraints, true, new BasicConstraints(true))),
                        "must not be a CA"),
                new Case(
                        "fail-ku-not-critical",
                        t -> t.replace(extension(Extension.keyUsage, false, new KeyUsage(KeyUsage.digitalSignature))),
                        "key usage should be critical"),
                new Case(
                        "fail-eku-server-auth-without-usage",
                        t -> {
                            t.replace(extension(Extension.keyUsage, true, new KeyUsage(KeyUsage.nonRepudiation)));
                            t.replace(extension(
                                    Extension.extendedKeyUsage,
                                    false,
                                    new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth)));
                        },
                        "1.3.6.1.5.5.7.3.1 is inconsistent"),
                new Case(
                        "fail-wrong-issuer-name",
                        t -> t.issuer = new X500Name("CN=Somebody Else"),
                        "issuer name does not match"),
                new Case(
                        "fail-algorithm-not-the-keys",
                        t -> t.algorithm = new DefaultSignatureAlgorithmIdentifierFinder().find("SHA384withECDSA"),
                        "differs from the issuing key's"),
                new Case("fail-duplicate-extension", t -> t.duplicateLast = true, "appears more than once"));
        for (Case c : cases) {
            List<String> findings = lint.check(tbs(c.change()), ISSUER, ECDSA_SHA256);
            assertTrue(findings.stream().anyMatch(f -> f.contains(c.finding())), c.name() + ": " + findings);
        }
    }

    /** The fields of a TBS certificate, valid until a case changes one. */
    static final class Tbs {
        BigInteger serial = BigInteger.valueOf(0x1234567890L);
        X500Name issuer = X500Name.getInstance(ISSUER.getSubjectX500Principal().getEncoded());
        X500Name subject = new X500Name("CN=SN-1,SERIALNUMBER=SN-1");
        Time notBefore = new Time(Date.from(TestPki.NOW));
        Time notAfter = new Time(new ASN1GeneralizedTime("99991231235959Z"));
        AlgorithmIdentifier algorithm = ECDSA_SHA256;
        List<Extension> extensions = new ArrayList<>(List.of(
                extension(Extension.basicConstraints, true, new BasicConstraints(false)),
                extension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature)),
                extension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_clientAuth)),
                ski(),
                aki(ISSUER)));
        boolean duplicateLast;

        void replace(Extension extension) {
            extensions.replaceAll(e -> e.getExtnId().equals(extension.getExtnId()) ? extension : e);
        }
    }

    private static byte[] tbs(Consumer<Tbs> change) {
        Tbs t = new Tbs();
        change.accept(t);
        V3TBSCertificateGenerator generator = new V3TBSCertificateGenerator();
        generator.setSerialNumber(new ASN1Integer(t.serial));
        generator.setSignature(t.algorithm);
        generator.setIssuer(t.issuer);
        generator.setStartDate(t.notBefore);
        generator.setEndDate(t.notAfter);
        generator.setSubject(t.subject);
        generator.setSubjectPublicKeyInfo(
                SubjectPublicKeyInfo.getInstance(DEVICE.getPublic().getEncoded()));
        generator.setExtensions(new Extensions(t.extensions.toArray(new Extension[0])));
        try {
            byte[] der = generator.generateTBSCertificate().getEncoded(ASN1Encoding.DER);
            return t.duplicateLast ? withLastExtensionTwice(der) : der;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** BouncyCastle refuses to build duplicate extensions, so the DER is edited directly. */
    private static byte[] withLastExtensionTwice(byte[] der) throws Exception {
        ASN1Sequence tbs = ASN1Sequence.getInstance(der);
        ASN1EncodableVector fields = new ASN1EncodableVector();
        for (ASN1Encodable field : tbs) {
            if (field instanceof ASN1TaggedObject tagged && tagged.getTagNo() == 3) {
                ASN1EncodableVector extensions = new ASN1EncodableVector();
                ASN1Sequence original = ASN1Sequence.getInstance(tagged.getExplicitBaseObject());
                original.forEach(extensions::add);
                extensions.add(original.getObjectAt(original.size() - 1));
                fields.add(new DERTaggedObject(true, 3, new DERSequence(extensions)));
            } else {
                fields.add(field);
            }
        }
        return new DERSequence(fields).getEncoded(ASN1Encoding.DER);
    }

    private static Extension extension(
            org.bouncycastle.asn1.ASN1ObjectIdentifier oid, boolean critical, ASN1Encodable value) {
        try {
            return new Extension(oid, critical, value.toASN1Primitive().getEncoded(ASN1Encoding.DER));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static Extension ski() {
        try {
            return extension(
                    Extension.subjectKeyIdentifier,
                    false,
                    new JcaX509ExtensionUtils().createSubjectKeyIdentifier(DEVICE.getPublic()));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static Extension aki(X509Certificate ca) {
        try {
            return extension(
                    Extension.authorityKeyIdentifier,
                    false,
                    new JcaX509ExtensionUtils().createAuthorityKeyIdentifier(ca));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
