package io.imprint.pki;

import io.imprint.pki.keys.CaKey;
import io.imprint.pki.keys.SoftwareKeyBackend;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/** A software CA hierarchy for fast unit tests. Production keys live in the HSM; see the PKCS#11 tests. */
public final class TestPki {
    public static final Instant NOW = Instant.parse("2026-11-24T12:00:00Z");
    public static final Instant FOREVER = Instant.parse("9999-12-31T23:59:59Z");

    public final CaKey root;
    public final CaKey issuing;
    public final CaKey stationCa;
    public final CaKey serviceCa;
    public final CaKey ocspResponder;
    /** The software keys behind a backend, as the HSM would hold them. */
    public final SoftwareKeyBackend backend;

    public TestPki() {
        KeyPair rootKey = ec("secp256r1");
        X509Certificate rootCert;
        try {
            rootCert = CertificateTemplates.selfSignedRoot(
                    new X500Name("O=Test,CN=Test Root"),
                    rootKey.getPublic(),
                    new JcaContentSignerBuilder("SHA256withECDSA")
                            .setProvider(Providers.BC)
                            .build(rootKey.getPrivate()),
                    NOW.minusSeconds(3600),
                    FOREVER);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        root = new CaKey("root-ca", rootKey.getPrivate(), Providers.BC, List.of(rootCert));
        issuing = child(root, "CN=Test Issuing CA", true);
        stationCa = child(root, "CN=Test Station CA", true);
        serviceCa = child(root, "CN=Test Service CA", true);
        ocspResponder = child(issuing, "CN=Test OCSP Responder", false);
        backend = SoftwareKeyBackend.holding(root, issuing, stationCa, ocspResponder);
    }

    private static CaKey child(CaKey parent, String name, boolean ca) {
        KeyPair key = ec("secp256r1");
        X509Certificate cert = ca
                ? CertificateTemplates.subordinateCa(
                        parent, new X500Name(name), key.getPublic(), 0, NOW.minusSeconds(3600), FOREVER)
                : CertificateTemplates.ocspResponder(
                        parent,
                        new X500Name(name),
                        key.getPublic(),
                        NOW.minusSeconds(3600),
                        NOW.plusSeconds(86400 * 365));
        List<X509Certificate> chain = new ArrayList<>(List.of(cert));
        chain.addAll(parent.chain());
        return new CaKey(name, key.getPrivate(), Providers.BC, chain);
    }

    public static KeyPair ec(String curve) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC", Providers.BC);
            generator.initialize(new ECGenParameterSpec(curve));
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    public static KeyPair generate(String algorithm, int size) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance(algorithm, Providers.BC);
            if (size > 0) {
                generator.initialize(size);
            }
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
