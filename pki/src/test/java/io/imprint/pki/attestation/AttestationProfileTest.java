package io.imprint.pki.attestation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.imprint.contracts.ReasonCode;
import io.imprint.pki.Providers;
import io.imprint.pki.RequestRejectedException;
import io.imprint.pki.TestPki;
import java.math.BigInteger;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The device-attestation certificate profile, against hierarchies openssl makes: each case is a chain that
 * validates under RFC 5280 and breaks (or keeps) one rule of the profile.
 */
class AttestationProfileTest {
    private static final String LEAF = "basicConstraints=critical,CA:FALSE";
    private static final String SIGN_ONLY = "keyUsage=critical,digitalSignature";
    private static final String INTERMEDIATE = "basicConstraints=critical,CA:TRUE,pathlen:0";
    private static final String CA_USAGE = "keyUsage=critical,keyCertSign,cRLSign";

    @TempDir
    static Path dir;

    private static Openssl openssl;
    private static X509Certificate root;
    private static X509Certificate signer;

    @BeforeAll
    static void vendor() {
        openssl = new Openssl(dir);
        root = openssl.root("root");
        signer = openssl.issue(
                "signer", "root", "/O=Test Vendor/CN=Signer", "prime256v1", "sha256", INTERMEDIATE, CA_USAGE);
    }

    static Stream<Arguments> chains() {
        return Stream.of(
                device(
                        "ok-device-certificate",
                        AttestationProfile.DEFAULT,
                        null,
                        "prime256v1",
                        "sha256",
                        LEAF,
                        SIGN_ONLY),
                device("ok-no-basic-constraints", AttestationProfile.DEFAULT, null, "prime256v1", "sha256", SIGN_ONLY),
                device(
                        "ok-key-agreement-where-the-type-allows-it",
                        AttestationProfile.of("digitalSignature,keyAgreement", true, AttestationProfile.Format.X509),
                        null,
                        "prime256v1",
                        "sha256",
                        LEAF,
                        "keyUsage=critical,digitalSignature,keyAgreement"),
                device("ok-p384-sha384", AttestationProfile.DEFAULT, null, "secp384r1", "sha384", LEAF, SIGN_ONLY),
                device(
                        "fail-leaf-ca-true",
                        AttestationProfile.DEFAULT,
                        "leaf-not-ca",
                        "prime256v1",
                        "sha256",
                        "basicConstraints=critical,CA:TRUE",
                        SIGN_ONLY),
                device(
                        "fail-leaf-key-cert-sign",
                        AttestationProfile.DEFAULT,
                        "leaf-key-usage",
                        "prime256v1",
                        "sha256",
                        LEAF,
                        "keyUsage=critical,digitalSignature,keyCertSign"),
                device(
                        "fail-leaf-key-agreement-by-default",
                        AttestationProfile.DEFAULT,
                        "leaf-key-usage",
                        "prime256v1",
                        "sha256",
                        LEAF,
                        "keyUsage=critical,digitalSignature,keyAgreement"),
                device(
                        "fail-leaf-without-key-usage",
                        AttestationProfile.DEFAULT,
                        "leaf-key-usage",
                        "prime256v1",
                        "sha256",
                        LEAF),
                device(
                        "fail-missing-aki",
                        AttestationProfile.DEFAULT,
                        "authority-key-identifier",
                        "prime256v1",
                        "sha256",
                        LEAF,
                        SIGN_ONLY,
                        "authorityKeyIdentifier=none"),
                device(
                        "fail-sha1-signature",
                        AttestationProfile.DEFAULT,
                        "signature-algorithm",
                        "prime256v1",
                        "sha1",
                        LEAF,
                        SIGN_ONLY),
                device(
                        "fail-secp256k1-key",
                        AttestationProfile.DEFAULT,
                        "key-policy",
                        "secp256k1",
                        "sha256",
                        LEAF,
                        SIGN_ONLY));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("chains")
    void refusesEachBrokenRuleByName(
            String name, AttestationProfile profile, String rule, String curve, String digest, String[] extensions)
            throws Exception {
        X509Certificate device = openssl.issue(name, "signer", "/O=Test Vendor/CN=" + name, curve, digest, extensions);
        assertRule(rule, profile, device, signer);
    }

    static Stream<Arguments> intermediates() {
        return Stream.of(
                Arguments.of("fail-intermediate-without-path-length", "intermediate-ca", new String[] {
                    "basicConstraints=critical,CA:TRUE", CA_USAGE
                }),
                Arguments.of("fail-intermediate-without-key-cert-sign", "intermediate-ca", new String[] {
                    INTERMEDIATE, "keyUsage=critical,cRLSign,digitalSignature"
                }),
                Arguments.of("fail-intermediate-without-aki", "authority-key-identifier", new String[] {
                    INTERMEDIATE, CA_USAGE, "authorityKeyIdentifier=none"
                }));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("intermediates")
    void refusesIntermediatesThatAreNotProperCas(String name, String rule, String[] extensions) throws Exception {
        X509Certificate intermediate =
                openssl.issue(name, "root", "/O=Test Vendor/CN=" + name, "prime256v1", "sha256", extensions);
        // openssl may refuse to sign with a CA lacking keyCertSign; the profile must refuse before it matters
        X509Certificate device = issueUnder(name, "/O=Test Vendor/CN=device-" + name);
        assertRule(rule, AttestationProfile.DEFAULT, device, intermediate);
    }

    /** A hostile chain must be refused by rule, never break the check with an exception from a parser. */
    @Test
    void failMalformedAuthorityKeyIdentifierIsRefusedByRule() throws Exception {
        KeyPair key = TestPki.ec("secp256r1");
        X500Name name = new X500Name("CN=hostile device");
        X509Certificate device = new JcaX509CertificateConverter()
                .setProvider(Providers.BC)
                .getCertificate(new JcaX509v3CertificateBuilder(
                                name,
                                BigInteger.ONE,
                                Date.from(Instant.now().minusSeconds(60)),
                                Date.from(Instant.now().plusSeconds(3600)),
                                name,
                                key.getPublic())
                        // an OCTET STRING where the AuthorityKeyIdentifier SEQUENCE belongs
                        .addExtension(Extension.authorityKeyIdentifier, false, new byte[] {0x04, 0x00})
                        .build(new JcaContentSignerBuilder("SHA256withECDSA")
                                .setProvider(Providers.BC)
                                .build(key.getPrivate())));
        RequestRejectedException e = assertThrows(
                RequestRejectedException.class,
                () -> AttestationProfile.DEFAULT.check(List.of(device), root, Instant.now()));
        assertEquals(ReasonCode.ATTESTATION_INVALID, e.reason(), e.getMessage());
        assertTrue(e.getMessage().startsWith("attestation rule authority-key-identifier:"), e.getMessage());
    }

    private static X509Certificate issueUnder(String issuer, String subject) {
        return openssl.issue(issuer + "-device", issuer, subject, "prime256v1", "sha256", LEAF, SIGN_ONLY);
    }

    private static void assertRule(
            String rule, AttestationProfile profile, X509Certificate device, X509Certificate intermediate)
            throws Exception {
        AttestationVerifier verifier =
                new AttestationVerifier(Map.of("TESTSE", List.of(root)), Map.of("TESTSE", profile));
        SubjectPublicKeyInfo key =
                SubjectPublicKeyInfo.getInstance(device.getPublicKey().getEncoded());
        if (rule == null) {
            assertEquals(
                    device,
                    verifier.verify("TESTSE", Openssl.base64(device, intermediate), key, Instant.now())
                            .certificate());
            return;
        }
        RequestRejectedException e = assertThrows(
                RequestRejectedException.class,
                () -> verifier.verify("TESTSE", Openssl.base64(device, intermediate), key, Instant.now()));
        assertEquals(ReasonCode.ATTESTATION_INVALID, e.reason(), e.getMessage());
        assertTrue(e.getMessage().startsWith("attestation rule " + rule + ":"), e.getMessage());
    }

    private static Arguments device(
            String name, AttestationProfile profile, String rule, String curve, String digest, String... extensions) {
        return Arguments.of(name, profile, rule, curve, digest, extensions);
    }
}
