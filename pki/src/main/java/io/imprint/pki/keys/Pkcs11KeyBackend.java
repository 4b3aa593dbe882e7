package io.imprint.pki.keys;

import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.Security;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.util.Arrays;
import java.util.List;

/**
 * Keys in a PKCS#11 token through the JDK's SunPKCS11 provider. Signing runs inside the token; SunPKCS11
 * pools sessions, so concurrent signers need no lock here, and it converts the token's raw ECDSA r||s into
 * the DER form X.509 requires.
 *
 * <p>Pitfall: the PKCS#11 KeyStore lists a private key only when a certificate with the same CKA_ID is on
 * the token, so keys are always stored together with their certificate chain.
 */
public final class Pkcs11KeyBackend implements KeyBackend {
    private final Provider provider;
    private final KeyStore keyStore;

    public Pkcs11KeyBackend(Pkcs11Config config, char[] pin) {
        Provider base = Security.getProvider("SunPKCS11");
        if (base == null) {
            throw new KeyBackendException("this JDK has no SunPKCS11 provider", null);
        }
        try {
            this.provider = base.configure("--" + config.providerConfig());
        } catch (RuntimeException e) {
            throw new KeyBackendException("cannot load PKCS#11 library " + config.library() + " slot index "
                    + config.slotListIndex() + ": " + rootMessage(e)
                    + " (is the token initialised, and SOFTHSM2_CONF set for SoftHSM2?)", null);
        }
        try {
            this.keyStore = KeyStore.getInstance("PKCS11", provider);
            keyStore.load(null, pin);
        } catch (IOException | GeneralSecurityException e) {
            throw new KeyBackendException("cannot log in to the PKCS#11 token (wrong PIN, or token not initialised): "
                    + rootMessage(e), null);
        } finally {
            Arrays.fill(pin, '\0');
        }
    }

    public Provider provider() {
        return provider;
    }

    @Override
    public boolean contains(String alias) {
        try {
            return keyStore.isKeyEntry(alias) && keyStore.getCertificate(alias) != null;
        } catch (GeneralSecurityException e) {
            throw new KeyBackendException("cannot read the token: " + rootMessage(e), e);
        }
    }

    @Override
    public CaKey key(String alias) {
        try {
            if (!keyStore.isKeyEntry(alias)) {
                throw new KeyBackendException("the token has no key '" + alias
                        + "' with a certificate; run the CA ceremony (deploy/local/ca-ceremony.sh) first", null);
            }
            PrivateKey key = (PrivateKey) keyStore.getKey(alias, null);
            Certificate[] chain = keyStore.getCertificateChain(alias);
            return new CaKey(alias, key, provider, Arrays.stream(chain).map(c -> (X509Certificate) c).toList());
        } catch (GeneralSecurityException e) {
            throw new KeyBackendException("cannot read key '" + alias + "' from the token: " + rootMessage(e), e);
        }
    }

    /** Generates an EC key pair inside the token: a sensitive, non-extractable token object. */
    public KeyPair generateEcKeyPair(String curve) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC", provider);
            generator.initialize(new ECGenParameterSpec(curve));
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new KeyBackendException("the token cannot generate an EC " + curve + " key: " + rootMessage(e), e);
        }
    }

    /** Labels a token key with {@code alias} and stores its certificate chain beside it (same CKA_ID). */
    public void store(String alias, PrivateKey key, List<X509Certificate> chain) {
        try {
            keyStore.setKeyEntry(alias, key, null, chain.toArray(new Certificate[0]));
        } catch (GeneralSecurityException e) {
            throw new KeyBackendException("cannot store key '" + alias + "' in the token: " + rootMessage(e), e);
        }
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getClass().getSimpleName() + (root.getMessage() == null ? "" : ": " + root.getMessage());
    }
}
