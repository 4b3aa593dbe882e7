package io.imprint.signer.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.imprint.pki.CertificateTemplates;
import io.imprint.pki.Providers;
import io.imprint.pki.keys.CaKey;
import io.imprint.pki.keys.EcKeys;
import io.imprint.pki.keys.KeyBackendException;
import io.imprint.pki.keys.SoftwareKeyBackend;
import io.imprint.signer.config.SignerConfig;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.Test;

/**
 * The signer refuses to start with a CA key that does not match its certificate, naming the alias, and with a
 * profile the pre-issuance lint refuses, naming the profile, the CA and the finding.
 */
class SignerStartupTest {
    private final Instant now = Instant.now();
    /** A root and, under it, "CN=Issuing CA" for {@link #caKey}. */
    private final KeyPair caKey = EcKeys.p256();

    private final List<X509Certificate> chain = issuingChain();

    @Test
    void aTokenWhoseCaKeyIsNotItsCertificatesStopsTheSignerNamingTheAlias() {
        IssuingCas genuine = new IssuingCas(token("issuing-ca", caKey), config("issuing-ca"));
        assertEquals(Set.of("issuing-ca"), genuine.aliases());

        SoftwareKeyBackend swapped = token("issuing-ca-2", EcKeys.p256());
        KeyBackendException refused =
                assertThrows(KeyBackendException.class, () -> new IssuingCas(swapped, config("issuing-ca-2")));
        assertTrue(
                refused.getMessage().startsWith("key 'issuing-ca-2' in ")
                        && refused.getMessage().contains("does not match its certificate CN=Issuing CA"),
                refused.getMessage());
    }

    @Test
    void aProfileTheLintRefusesStopsTheSignerNamingProfileCaAndFinding() {
        SoftwareKeyBackend token = token("issuing-ca", caKey);
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

    /** A token holding {@code key} under {@code alias}, with the issuing CA's certificate chain. */
    private SoftwareKeyBackend token(String alias, KeyPair key) {
        return SoftwareKeyBackend.holding(new CaKey(alias, key.getPrivate(), Providers.BC, chain));
    }

    private List<X509Certificate> issuingChain() {
        KeyPair rootKey = EcKeys.p256();
        try {
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
            return List.of(
                    CertificateTemplates.subordinateCa(
                            root,
                            new X500Name("CN=Issuing CA"),
                            caKey.getPublic(),
                            0,
                            now.minusSeconds(60),
                            now.plusSeconds(86_400)),
                    root.certificate());
        } catch (OperatorCreationException e) {
            throw new IllegalStateException(e);
        }
    }

    private static SignerConfig config(String alias) {
        return new TestSignerConfig(alias, Map.of());
    }
}
