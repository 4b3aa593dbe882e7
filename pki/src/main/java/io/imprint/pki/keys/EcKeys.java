package io.imprint.pki.keys;

import io.imprint.pki.Providers;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;

/** Software EC keys, for what is not a CA key: station keys, simulated devices, probes and tests. */
public final class EcKeys {
    private EcKeys() {}

    /** A fresh P-256 (secp256r1) key pair. */
    public static KeyPair p256() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC", Providers.BC);
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("no EC P-256 key generator", e);
        }
    }
}
