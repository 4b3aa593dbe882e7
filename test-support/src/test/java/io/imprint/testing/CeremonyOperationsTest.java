package io.imprint.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.imprint.pki.CertificateTemplates;
import io.imprint.pki.IssuerKeyId;
import io.imprint.pki.Pem;
import io.imprint.pki.ceremony.CaCeremony;
import io.imprint.pki.ceremony.CeremonyTranscript;
import io.imprint.pki.ceremony.KeyAliases;
import io.imprint.pki.crl.CrlFactory;
import io.imprint.pki.crl.RootCrls;
import io.imprint.pki.keys.CaKey;
import io.imprint.pki.keys.Pkcs11Config;
import io.imprint.pki.keys.Pkcs11KeyBackend;
import io.imprint.pki.operator.OperatorIdentity;
import io.imprint.pki.signing.PemCredentials;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertPathValidator;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.CRLDistPoint;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.GeneralSubtree;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequest;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Per-factory CAs, issuing-CA rollover, OCSP responder certificates and sealed transcripts, in a real
 * SoftHSM2 token; every chain is checked by the JDK's CertPathValidator and by openssl.
 */
class CeremonyOperationsTest {
    private final Instant now = Instant.now();

    private static Pkcs11KeyBackend token() {
        TestToken.certificates();
        return new Pkcs11KeyBackend(
                new Pkcs11Config(Pkcs11Config.SOFTHSM2, 0),
                () -> TestToken.userPin().toCharArray());
    }

    @Test
    void factoryCaWithNameConstraintsCertifiesOnlyInsideItsSubtree(@TempDir Path out) throws Exception {
        Pkcs11KeyBackend token = token();
        String factory = "f" + UUID.randomUUID().toString().substring(0, 8);
        CaKey factoryCa = new CaCeremony(token, "Imprint Test", line -> {})
                .issueFactoryCa(
                        factory,
                        List.of(new GeneralSubtree(new GeneralName(new X500Name("O=Acme,OU=" + factory)))),
                        0,
                        out,
                        now);
        X509Certificate ca = factoryCa.certificate();
        assertEquals(0, ca.getBasicConstraints());
        assertTrue(ca.getCriticalExtensionOIDs().contains("2.5.29.30"), "name constraints are critical");
        assertEquals(KeyAliases.ISSUING_CA + "-" + factory, factoryCa.alias());

        X509Certificate inside = leaf(factoryCa, "O=Acme,OU=" + factory + ",CN=device-1");
        X509Certificate outside = leaf(factoryCa, "O=Acme,OU=another-factory,CN=device-2");
        X509Certificate root = token.key(KeyAliases.ROOT_CA).certificate();
        validate(root, inside, ca);
        assertThrows(CertPathValidatorException.class, () -> validate(root, outside, ca));
        assertEquals(0, openssl(out, root, ca, inside).exit(), "openssl accepts the leaf inside the subtree");
        Shell.Result refused = openssl(out, root, ca, outside);
        assertNotEquals(0, refused.exit());
        assertTrue(refused.output().contains("permitted subtree violation"), refused.output());
    }

    /**
     * A factory with an HSM of its own: the key is generated there, only its certification request travels, the root
     * certifies it after checking the request, and the factory installs the certificate beside the same key. What
     * does not belong (another factory's name, a request signed by another key, a certificate of another key, a
     * certificate from another root) is refused at the step that would take it. The root revokes it from its
     * certificate alone.
     */
    @Test
    void aFactoryCaKeyMadeInTheFactorysTokenIsCertifiedFromItsRequestAndInstalledBesideIt(@TempDir Path out)
            throws Exception {
        Pkcs11KeyBackend token = token();
        CaCeremony ceremony = new CaCeremony(token, "Imprint Test", line -> {});
        String factory = "f" + UUID.randomUUID().toString().substring(0, 8);
        String alias = KeyAliases.ISSUING_CA + "-" + factory;

        PKCS10CertificationRequest request = ceremony.requestFactoryCa(factory, out, now);
        CaKey pending = token.key(alias);
        assertEquals(-1, pending.certificate().getBasicConstraints(), "the stand-in certificate is no CA");
        Shell.Result openssl = Shell.run(
                out, Map.of(), List.of("openssl", "req", "-in", alias + ".csr", "-verify", "-noout", "-subject"));
        assertEquals(0, openssl.exit(), openssl.output());
        assertTrue(openssl.output().contains("verify OK"), openssl.output());
        assertTrue(openssl.output().contains("Imprint Issuing CA " + factory), openssl.output());
        PKCS10CertificationRequest again = ceremony.requestFactoryCa(factory, out, now);
        assertEquals(
                pending.certificate().getPublicKey(),
                new JcaPKCS10CertificationRequest(again).getPublicKey(),
                "asked again, the same key");

        assertThrows(
                IllegalArgumentException.class,
                () -> ceremony.certifyFactoryCa("another-" + factory, request, List.of(), 0, out, now));
        PKCS10CertificationRequest unproven = new JcaPKCS10CertificationRequestBuilder(
                        request.getSubject(), pending.certificate().getPublicKey())
                .build(new JcaContentSignerBuilder("SHA256withECDSA")
                        .build(TestStations.ecKey().getPrivate()));
        IllegalArgumentException noProof = assertThrows(
                IllegalArgumentException.class,
                () -> ceremony.certifyFactoryCa(factory, unproven, List.of(), 0, out, now));
        assertTrue(noProof.getMessage().contains("does not verify"), noProof.getMessage());

        X509Certificate certificate = ceremony.certifyFactoryCa(factory, request, List.of(), 0, out, now);
        X509Certificate root = token.key(KeyAliases.ROOT_CA).certificate();
        X509Certificate otherKeys = ceremony.issueFactoryCa("other-" + factory, List.of(), 0, out, now)
                .certificate();
        assertThrows(IllegalArgumentException.class, () -> ceremony.installFactoryCa(factory, otherKeys, root));
        X509Certificate otherRoot = token.key(KeyAliases.INFRASTRUCTURE_ROOT_CA).certificate();
        assertThrows(IllegalArgumentException.class, () -> ceremony.installFactoryCa(factory, certificate, otherRoot));
        assertEquals(-1, token.key(alias).certificate().getBasicConstraints(), "nothing installed by a refusal");

        CaKey installed = ceremony.installFactoryCa(factory, certificate, root);
        assertEquals(List.of(certificate, root), installed.chain());
        assertEquals(
                pending.certificate().getPublicKey(), installed.certificate().getPublicKey());
        X509Certificate device = leaf(installed, "O=Acme,CN=device-1");
        validate(root, device, certificate);
        assertEquals(0, openssl(out, root, certificate, device).exit(), "openssl accepts what the installed CA signs");
        assertEquals(List.of(certificate, root), token().key(alias).chain(), "kept in the token");
        assertEquals(
                installed.chain(),
                ceremony.installFactoryCa(factory, certificate, root).chain());
        assertThrows(IllegalStateException.class, () -> ceremony.requestFactoryCa(factory, out, now));

        // Headquarters cuts the factory off with the certificate alone: the key is not in its token.
        X509CRL revoked = ceremony.revokeCa(certificate, 1, out, now);
        assertNotNull(revoked.getRevokedCertificate(certificate.getSerialNumber()));
        assertEquals(KeyAliases.ROOT_CA, ceremony.rootOf(certificate));
        assertThrows(IllegalArgumentException.class, () -> ceremony.revokeCa(device, 1, out, now));
    }

    /**
     * A CA certificate names its root's CRL; the root's CRL, signed in the ceremony, lets {@code openssl verify
     * -crl_check_all} accept a certificate below a good CA and refuse one below a revoked CA.
     */
    @Test
    void aRevokedCaFailsEveryCertificateBelowItForOpensslCheckingTheWholeChain(@TempDir Path out) throws Exception {
        Pkcs11KeyBackend token = token();
        String factory = "r" + UUID.randomUUID().toString().substring(0, 8);
        CaCeremony ceremony = new CaCeremony(token, "Imprint Test", line -> {}, "http://crl.example/");
        CaKey factoryCa = ceremony.issueFactoryCa(factory, List.of(), 0, out, now);
        X509Certificate root = token.key(KeyAliases.ROOT_CA).certificate();
        assertEquals(
                List.of("http://crl.example/crl/" + IssuerKeyId.of(root)),
                crlUrls(factoryCa.certificate()),
                "the CA certificate names its root's CRL");

        X509Certificate leaf = leaf(factoryCa, "O=Imprint Test,CN=device-" + factory);
        X509CRL caCrl = new CrlFactory().build(factoryCa, 1, now, now.plus(Duration.ofDays(1)), List.of());
        X509CRL first = ceremony.signRootCrl(KeyAliases.ROOT_CA, out, now);
        assertEquals(1, RootCrls.number(first));
        Shell.Result good = crlCheckAll(out, root, factoryCa.certificate(), leaf, caCrl, first);
        assertEquals(0, good.exit(), good.output());

        X509CRL revoked = ceremony.revokeCa(factoryCa.alias(), 1, out, now);
        assertEquals(2, RootCrls.number(revoked));
        assertEquals(
                java.security.cert.CRLReason.KEY_COMPROMISE,
                revoked.getRevokedCertificate(factoryCa.certificate().getSerialNumber())
                        .getRevocationReason());
        Shell.Result refused = crlCheckAll(out, root, factoryCa.certificate(), leaf, caCrl, revoked);
        assertNotEquals(0, refused.exit());
        assertTrue(refused.output().contains("certificate revoked"), refused.output());

        X509CRL renewed = ceremony.signRootCrl(KeyAliases.ROOT_CA, out, now.plusSeconds(60));
        assertEquals(3, RootCrls.number(renewed));
        assertNotNull(
                renewed.getRevokedCertificate(factoryCa.certificate().getSerialNumber()),
                "a renewed root CRL keeps every entry");
        assertThrows(
                IllegalArgumentException.class,
                () -> ceremony.revokeCa(KeyAliases.OCSP_RESPONDER, 1, out, now),
                "only what a root certified is on a root's CRL");
        assertThrows(IllegalArgumentException.class, () -> ceremony.signRootCrl(KeyAliases.ISSUING_CA, out, now));
    }

    private static List<String> crlUrls(X509Certificate certificate) {
        CRLDistPoint points = CRLDistPoint.getInstance(
                ASN1OctetString.getInstance(certificate.getExtensionValue(Extension.cRLDistributionPoints.getId()))
                        .getOctets());
        return java.util.Arrays.stream(points.getDistributionPoints())
                .flatMap(p -> java.util.Arrays.stream(
                        GeneralNames.getInstance(p.getDistributionPoint().getName())
                                .getNames()))
                .map(n -> n.getName().toString())
                .toList();
    }

    private static Shell.Result crlCheckAll(
            Path dir, X509Certificate root, X509Certificate ca, X509Certificate leaf, X509CRL... crls)
            throws Exception {
        Files.writeString(dir.resolve("root.pem"), Pem.encode(root));
        Files.writeString(dir.resolve("ca.pem"), Pem.encode(ca));
        Files.writeString(dir.resolve("leaf.pem"), Pem.encode(leaf));
        List<String> command = new java.util.ArrayList<>(
                List.of("openssl", "verify", "-crl_check_all", "-CAfile", "root.pem", "-untrusted", "ca.pem"));
        for (int i = 0; i < crls.length; i++) {
            Files.writeString(dir.resolve("crl-" + i + ".pem"), Pem.encode(crls[i]));
            command.add("-CRLfile");
            command.add("crl-" + i + ".pem");
        }
        command.add("leaf.pem");
        return Shell.run(dir, Map.of(), command);
    }

    @Test
    void rolloverKeepsTheOldCaAndIssuesItsSuccessorAndResponder(@TempDir Path out) throws Exception {
        Pkcs11KeyBackend token = token();
        String next = "issuing-ca-r" + UUID.randomUUID().toString().substring(0, 6);
        CaCeremony ceremony = new CaCeremony(token, "Imprint Test", line -> {});
        X509Certificate old = token.key(KeyAliases.ISSUING_CA).certificate();
        CaKey successor = ceremony.rollIssuingCa(KeyAliases.ISSUING_CA, next, "Imprint Issuing CA " + next, out, now);
        CaKey responder = ceremony.issueOcspResponder(next, "ocsp-" + next, out, now);

        assertEquals(old, token.key(KeyAliases.ISSUING_CA).certificate(), "the old CA stays for CRLs and OCSP");
        assertNotEquals(old.getPublicKey(), successor.certificate().getPublicKey());
        X509Certificate root = token.key(KeyAliases.ROOT_CA).certificate();
        validate(root, successor.certificate());
        validate(root, responder.certificate(), successor.certificate());
        assertEquals(List.of("1.3.6.1.5.5.7.3.9"), responder.certificate().getExtendedKeyUsage());
        assertEquals(
                0,
                openssl(out, root, successor.certificate(), responder.certificate())
                        .exit());
        assertEquals(Pem.encode(successor.certificate()), Files.readString(out.resolve(next + ".pem")));
    }

    @Test
    void transcriptIsSealedByTheCeremonyKeyAndOpensslDetectsTampering(@TempDir Path out) throws Exception {
        Pkcs11KeyBackend token = token();
        CeremonyTranscript transcript = new CeremonyTranscript(line -> {});
        new CaCeremony(token, "Imprint Test", transcript).createHierarchy(out, now);
        Path sealed = transcript.seal(token.key(KeyAliases.ROOT_CA), out.resolve("transcripts"), "init", now);
        String text = Files.readString(sealed);
        assertTrue(text.contains("kept existing key 'issuing-ca'") && text.contains("sealed by 'root-ca'"), text);
        Path signature = Path.of(sealed.toString().replace(".txt", ".p7s"));

        assertEquals(0, cmsVerify(out, sealed, signature).exit(), "openssl verifies the sealed transcript");
        Files.writeString(sealed, text.replace("kept existing", "generated new"));
        Shell.Result tampered = cmsVerify(out, sealed, signature);
        assertNotEquals(0, tampered.exit(), "an edited transcript no longer verifies");
    }

    @Test
    void issuingCaChainFromTheCeremonyVerifiesWithOpenssl() throws Exception {
        Path certs = TestToken.certificates();
        Shell.Result result = Shell.run(
                certs,
                Map.of(),
                List.of(
                        "openssl",
                        "verify",
                        "-CAfile",
                        "root-ca.pem",
                        "-untrusted",
                        "issuing-ca.pem",
                        "ocsp-responder.pem"));
        assertEquals(0, result.exit(), result.output());
        for (String ca : List.of("station-ca.pem", "service-ca.pem")) {
            assertEquals(
                    0,
                    Shell.run(
                                    certs,
                                    Map.of(),
                                    List.of("openssl", "verify", "-CAfile", "infrastructure-root-ca.pem", ca))
                            .exit(),
                    ca);
        }
    }

    /**
     * Operators enrolled by our script hold a client certificate under the operator CA that openssl accepts for
     * TLS clients and that names exactly the operator; the operator CA certifies nothing outside
     * {@code OU=Imprint operator}, so it cannot mint a service or station identity.
     */
    @Test
    void operatorCertificatesChainToTheInfrastructureRootAndTheOperatorCaCertifiesOnlyOperators(@TempDir Path out)
            throws Exception {
        Path identity = TestOperators.identity(TestOperators.REVOKER);
        Path certs = TestToken.certificates();
        Shell.Result verified = Shell.run(
                certs,
                Map.of(),
                List.of(
                        "openssl",
                        "verify",
                        "-purpose",
                        "sslclient",
                        "-CAfile",
                        "infrastructure-root-ca.pem",
                        "-untrusted",
                        "operator-ca.pem",
                        identity.toString()));
        assertEquals(0, verified.exit(), verified.output());
        X509Certificate certificate = PemCredentials.certificates(identity).get(0);
        assertEquals(
                TestOperators.REVOKER,
                OperatorIdentity.of(certificate).orElseThrow().name());
        assertTrue(
                OperatorIdentity.of(PemCredentials.certificates(TestIdentities.file("audit"))
                                .get(0))
                        .isEmpty(),
                "a service's certificate names no operator");

        Pkcs11KeyBackend token = token();
        CaKey operatorCa = token.key(KeyAliases.OPERATOR_CA);
        X509Certificate root = token.key(KeyAliases.INFRASTRUCTURE_ROOT_CA).certificate();
        X509Certificate impostor = leaf(operatorCa, "OU=Imprint service,CN=signer");
        assertThrows(CertPathValidatorException.class, () -> validate(root, impostor, operatorCa.certificate()));
        Shell.Result refused = openssl(out, root, operatorCa.certificate(), impostor);
        assertTrue(refused.output().contains("permitted subtree violation"), refused.output());
        assertThrows(
                IllegalArgumentException.class,
                () -> new CaCeremony(token, "Imprint Test", line -> {})
                        .enrolOperator(
                                new OperatorIdentity("too-long"),
                                TestStations.ecKey().getPublic(),
                                Duration.ofDays(91),
                                now),
                "an operator certificate lasts at most 90 days");
    }

    private X509Certificate leaf(CaKey ca, String subject) {
        return CertificateTemplates.clientAuth(
                ca, new X500Name(subject), TestStations.ecKey().getPublic(), now, now.plus(Duration.ofDays(1)));
    }

    private static void validate(X509Certificate root, X509Certificate... path) throws Exception {
        PKIXParameters params = new PKIXParameters(Set.of(new TrustAnchor(root, null)));
        params.setRevocationEnabled(false);
        CertPathValidator.getInstance("PKIX")
                .validate(CertificateFactory.getInstance("X.509").generateCertPath(List.of(path)), params);
    }

    private static Shell.Result openssl(Path dir, X509Certificate root, X509Certificate ca, X509Certificate leaf)
            throws IOException {
        Files.writeString(dir.resolve("root.pem"), Pem.encode(root));
        Files.writeString(dir.resolve("ca.pem"), Pem.encode(ca));
        Files.writeString(dir.resolve("leaf.pem"), Pem.encode(leaf));
        return Shell.run(
                dir, Map.of(), List.of("openssl", "verify", "-CAfile", "root.pem", "-untrusted", "ca.pem", "leaf.pem"));
    }

    private static Shell.Result cmsVerify(Path dir, Path transcript, Path signature) {
        return TestOpenssl.cmsVerify(
                dir, signature, transcript, TestToken.certificates().resolve("root-ca.pem"));
    }
}
