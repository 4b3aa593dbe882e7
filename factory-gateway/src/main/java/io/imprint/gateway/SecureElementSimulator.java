package io.imprint.gateway;

import io.imprint.pki.Providers;
import io.imprint.pki.csr.CsrBuilder;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;

/**
 * Stands in for a device's secure element (ATECC608A, OPTIGA Trust M, SE050): generates an EC P-256 key
 * that a real element would never release, and the CSR for it. Only the CSR leaves this class.
 */
public final class SecureElementSimulator {
    private final KeyPairGenerator generator;

    public SecureElementSimulator() {
        try {
            generator = KeyPairGenerator.getInstance("EC", Providers.BC);
            generator.initialize(new ECGenParameterSpec("secp256r1"));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("no EC P-256 key generator", e);
        }
    }

    /** A new device identity: fresh key, PEM CSR with subject CN = serialNumber = device id. */
    public String csrFor(String deviceId) {
        KeyPair key = generator.generateKeyPair();
        return CsrBuilder.devicePem(deviceId, key, "SHA256withECDSA");
    }
}
