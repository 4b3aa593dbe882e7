package io.imprint.pki.keys;

import static io.imprint.pki.keys.KeyBackendException.rootMessage;

import java.io.IOException;
import java.security.AuthProvider;
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
import java.util.function.Supplier;

/**
 * Keys in a PKCS#11 token through the JDK's SunPKCS11 provider: any vendor library (SoftHSM2, Thales Luna,
 * Utimaco, AWS CloudHSM's PKCS#11 library, YubiHSM 2). Signing runs inside the token.
 *
 * <p>Pitfall: the PKCS#11 KeyStore lists a private key only when a certificate with the same CKA_ID is on
 * the token, so keys are always stored together with their certificate chain.
 */
public final class Pkcs11KeyBackend extends KeyStoreBackend {
    private final Pkcs11Config config;
    private final Provider provider;
    private final KeyStore keyStore;
    /** Read again for each login, so a reconnection never needs the PIN kept in this object. */
    private final Supplier<char[]> pin;

    private final TokenLogin tokenLogin;

    public Pkcs11KeyBackend(Pkcs11Config config, Supplier<char[]> pin) {
        this.config = config;
        this.pin = pin;
        Provider base = Security.getProvider("SunPKCS11");
        if (base == null) {
            throw new KeyBackendException("this JDK has no SunPKCS11 provider", null);
        }
        try {
            this.provider = base.configure("--" + config.providerConfig());
        } catch (RuntimeException e) {
            throw new KeyBackendException(
                    "cannot load PKCS#11 library " + config.library() + " slot index "
                            + config.slotListIndex() + ": " + rootMessage(e)
                            + " (is the token initialised, and SOFTHSM2_CONF set for SoftHSM2?)",
                    null);
        }
        try {
            this.keyStore = KeyStore.getInstance("PKCS11", provider);
        } catch (GeneralSecurityException e) {
            throw new KeyBackendException("SunPKCS11 offers no PKCS11 key store: " + rootMessage(e), null);
        }
        this.tokenLogin = new TokenLogin((AuthProvider) provider, this::login);
        login();
    }

    /** For ceremonies and tests that hold the PIN already; it is copied and the caller's array cleared. */
    public Pkcs11KeyBackend(Pkcs11Config config, char[] pin) {
        this(config, copyOnce(pin));
    }

    private static Supplier<char[]> copyOnce(char[] pin) {
        char[] copy = pin.clone();
        Arrays.fill(pin, '\0');
        return copy::clone;
    }

    private void login() {
        char[] secret = pin.get();
        try {
            keyStore.load(null, secret);
        } catch (IOException | GeneralSecurityException e) {
            throw new KeyBackendException(
                    "cannot log in to the PKCS#11 token (wrong PIN, or token not initialised): " + rootMessage(e),
                    null);
        } finally {
            Arrays.fill(secret, '\0');
        }
    }

    @Override
    protected KeyStore keyStore() {
        return keyStore;
    }

    @Override
    public Provider provider() {
        return provider;
    }

    @Override
    public long generation() {
        return tokenLogin.generation();
    }

    @Override
    public void reconnect(long failedGeneration) {
        tokenLogin.reconnect(failedGeneration);
    }

    @Override
    public String description() {
        return "PKCS#11 token (" + config.library().getFileName() + ", slot index " + config.slotListIndex() + ")";
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
}
