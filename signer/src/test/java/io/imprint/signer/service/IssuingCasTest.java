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
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.Test;

/** The signer refuses to start with a CA key that does not match its certificate, naming the alias. */
class IssuingCasTest {
    private static final Instant NOW = Instant.now();

    @Test
    void aTokenWhoseCaKeyIsNotItsCertificatesStopsTheSignerNamingTheAlias() throws Exception {
        KeyPair rootKey = ec();
        CaKey root = new CaKey("root-ca", rootKey.getPrivate(), Providers.BC, List.of(CertificateTemplates.selfSignedRoot(
                new X500Name("CN=Root"), rootKey.getPublic(), new JcaContentSignerBuilder("SHA256withECDSA")
                        .setProvider(Providers.BC).build(rootKey.getPrivate()), NOW.minusSeconds(60),
                NOW.plusSeconds(86_400))));
        KeyPair caKey = ec();
        List<java.security.cert.X509Certificate> chain = List.of(CertificateTemplates.subordinateCa(root,
                new X500Name("CN=Issuing CA"), caKey.getPublic(), 0, NOW.minusSeconds(60), NOW.plusSeconds(86_400)),
                root.certificate());

        IssuingCas genuine = new IssuingCas(SoftwareKeyBackend.holding(new CaKey("issuing-ca", caKey.getPrivate(),
                Providers.BC, chain)), config("issuing-ca"));
        assertEquals(Set.of("issuing-ca"), genuine.aliases());

        SoftwareKeyBackend swapped = SoftwareKeyBackend.holding(new CaKey("issuing-ca-2", ec().getPrivate(),
                Providers.BC, chain));
        KeyBackendException refused = assertThrows(KeyBackendException.class,
                () -> new IssuingCas(swapped, config("issuing-ca-2")));
        assertTrue(refused.getMessage().startsWith("key 'issuing-ca-2' in ") && refused.getMessage()
                .contains("does not match its certificate CN=Issuing CA"), refused.getMessage());
    }

    private static KeyPair ec() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        return generator.generateKeyPair();
    }

    private static SignerConfig config(String alias) {
        return new SignerConfig() {
            @Override
            public String issuingCa() {
                return alias;
            }

            @Override
            public Optional<Set<String>> issuingCas() {
                return Optional.empty();
            }

            @Override
            public int sessions() {
                return 1;
            }

            @Override
            public Map<String, Profile> profiles() {
                return Map.of();
            }
        };
    }
}
