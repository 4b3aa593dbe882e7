package io.imprint.pki.warmup;

import io.imprint.pki.CertificateTemplates;
import io.imprint.pki.Providers;
import io.imprint.pki.keys.CaKey;
import io.imprint.pki.keys.EcKeys;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/** A throwaway root and a CA below it, with software keys that live in this object only. */
final class SyntheticCa {
    /** As the real hierarchy's: a device identity (IEEE 802.1AR) outlives any date, so its CAs do too. */
    private static final Instant FOREVER = Instant.parse("9999-12-31T23:59:59Z");

    private SyntheticCa() {}

    /** A CA (path length 0) under a fresh root, both named "Imprint warm-up ..." and valid from an hour ago. */
    static CaKey under(String name) {
        Instant notBefore = Instant.now().minus(Duration.ofHours(1));
        KeyPair rootKey = EcKeys.p256();
        X509Certificate root;
        try {
            root = CertificateTemplates.selfSignedRoot(
                    new X500Name("O=Imprint warm-up,CN=" + name + " root (synthetic)"),
                    rootKey.getPublic(),
                    new JcaContentSignerBuilder("SHA256withECDSA")
                            .setProvider(Providers.BC)
                            .build(rootKey.getPrivate()),
                    notBefore,
                    FOREVER);
        } catch (OperatorCreationException e) {
            throw new IllegalStateException(e);
        }
        CaKey rootCa = new CaKey(name + "-root", rootKey.getPrivate(), Providers.BC, List.of(root));
        KeyPair caKey = EcKeys.p256();
        X509Certificate ca = CertificateTemplates.subordinateCa(
                rootCa,
                new X500Name("O=Imprint warm-up,CN=" + name + " (synthetic)"),
                caKey.getPublic(),
                0,
                notBefore,
                FOREVER);
        return new CaKey(name, caKey.getPrivate(), Providers.BC, List.of(ca, root));
    }

    /** The root of {@code ca}'s chain. */
    static X509Certificate root(CaKey ca) {
        return ca.chain().get(ca.chain().size() - 1);
    }
}
