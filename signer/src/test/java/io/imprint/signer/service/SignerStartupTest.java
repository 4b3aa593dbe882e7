package io.imprint.signer.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.imprint.pki.CertificateTemplates;
import io.imprint.pki.Providers;
import io.imprint.pki.keys.CaKey;
import io.imprint.pki.keys.KeyBackendException;
import io.imprint.pki.keys.SoftwareKeyBackend;
import io.imprint.signer.config.SignerConfig;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.Test;

/**
 * The signer refuses to start with a CA key that does not match its certificate, naming the alias, and with a
 * profile the pre-issuance lint refuses, naming the profile, the CA and the finding.
 */
class SignerStartupTest {
    private final Instant now = Instant.now();

    @Test
    void aTokenWhoseCaKeyIsNotItsCertificatesStopsTheSignerNamingTheAlias() throws Exception {
        KeyPair rootKey = ec();
        CaKey root = new CaKey(
                "root-ca",
                rootKey.getPrivate(),
                Providers.BC,
                List.of(CertificateTemplates.selfSignedRoot(
                        new X500Name("CN=Root"),
                        rootKey.getPublic(),
                        new JcaContentSignerBuilder("SHA256withECDSA")
                                .setProvider(Providers.BC)
                                .build(rootKey.getPrivate()),
                        now.minusSeconds(60),
                        now.plusSeconds(86_400))));
        KeyPair caKey = ec();
        List<java.security.cert.X509Certificate> chain = List.of(
                CertificateTemplates.subordinateCa(
                        root,
                        new X500Name("CN=Issuing CA"),
                        caKey.getPublic(),
                        0,
                        now.minusSeconds(60),
                        now.plusSeconds(86_400)),
                root.certificate());

        IssuingCas genuine = new IssuingCas(
                SoftwareKeyBackend.holding(new CaKey("issuing-ca", caKey.getPrivate(), Providers.BC, chain)),
                config("issuing-ca"));
        assertEquals(Set.of("issuing-ca"), genuine.aliases());

        SoftwareKeyBackend swapped =
                SoftwareKeyBackend.holding(new CaKey("issuing-ca-2", ec().getPrivate(), Providers.BC, chain));
        KeyBackendException refused =
                assertThrows(KeyBackendException.class, () -> new IssuingCas(swapped, config("issuing-ca-2")));
        assertTrue(
                refused.getMessage().startsWith("key 'issuing-ca-2' in ")
                        && refused.getMessage().contains("does not match its certificate CN=Issuing CA"),
                refused.getMessage());
    }

    @Test
    void aProfileTheLintRefusesStopsTheSignerNamingProfileCaAndFinding() throws Exception {
        KeyPair rootKey = ec();
        CaKey root = new CaKey(
                "root-ca",
                rootKey.getPrivate(),
                Providers.BC,
                List.of(CertificateTemplates.selfSignedRoot(
                        new X500Name("CN=Root"),
                        rootKey.getPublic(),
                        new JcaContentSignerBuilder("SHA256withECDSA")
                                .setProvider(Providers.BC)
                                .build(rootKey.getPrivate()),
                        now.minusSeconds(60),
                        now.plusSeconds(86_400))));
        KeyPair caKey = ec();
        SoftwareKeyBackend token = SoftwareKeyBackend.holding(new CaKey(
                "issuing-ca",
                caKey.getPrivate(),
                Providers.BC,
                List.of(
                        CertificateTemplates.subordinateCa(
                                root,
                                new X500Name("CN=Issuing CA"),
                                caKey.getPublic(),
                                0,
                                now.minusSeconds(60),
                                now.plusSeconds(86_400)),
                        root.certificate())));
        TestSignerConfig.KeyUsageProfile good =
                new TestSignerConfig.KeyUsageProfile(Set.of("digitalSignature"), List.of("clientAuth"));
        TestSignerConfig.KeyUsageProfile encipherment = new TestSignerConfig.KeyUsageProfile(
                Set.of("digitalSignature", "keyEncipherment"), List.of("clientAuth"));

        TestSignerConfig fine = new TestSignerConfig("issuing-ca", Map.of("idevid", good));
        new SigningService(token, new IssuingCas(token, fine), fine, new SimpleMeterRegistry());

        TestSignerConfig bad = new TestSignerConfig("issuing-ca", Map.of("idevid", good, "ec-encrypt", encipherment));
        IllegalStateException refused = assertThrows(
                IllegalStateException.class,
                () -> new SigningService(token, new IssuingCas(token, bad), bad, new SimpleMeterRegistry()));
        assertTrue(
                refused.getMessage()
                                .startsWith("certificate profile 'ec-encrypt' (imprint.signer.profiles"
                                        + ".ec-encrypt.*) fails the pre-issuance lint with issuing CA 'issuing-ca': ")
                        && refused.getMessage().contains("keyEncipherment or dataEncipherment with an EC key"),
                refused.getMessage());
    }

    private static KeyPair ec() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        return generator.generateKeyPair();
    }

    private static SignerConfig config(String alias) {
        return new TestSignerConfig(alias, Map.of());
    }
}
