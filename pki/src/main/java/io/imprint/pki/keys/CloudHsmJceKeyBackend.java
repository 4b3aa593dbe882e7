package io.imprint.pki.keys;

import static io.imprint.pki.keys.KeyBackendException.rootMessage;

import io.imprint.pki.Pem;
import java.io.IOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.AuthProvider;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.List;
import java.util.function.Supplier;
import javax.security.auth.callback.NameCallback;
import javax.security.auth.callback.PasswordCallback;
import javax.security.auth.callback.UnsupportedCallbackException;
import javax.security.auth.login.LoginException;

/**
 * Keys in AWS CloudHSM through its own JCE provider (Client SDK 5), loaded at run time from the jar the
 * CloudHSM client package installs ({@code /opt/cloudhsm/java/cloudhsm-*.jar}); it is not on Maven Central,
 * so Imprint neither ships nor compiles against it. Keys are found by label in the provider's
 * {@code CloudHSM} key store; certificate chains, which the HSM does not keep, come from
 * {@code <certificates>/<alias>.pem} (leaf first).
 *
 * <p><b>Untested here</b>: no CloudHSM cluster is reachable from our machines, so only the failure paths
 * (missing jar, missing provider class) run in tests. Prefer CloudHSM's PKCS#11 library through
 * {@link Pkcs11KeyBackend}, which is tested end to end with SoftHSM2.
 */
public final class CloudHsmJceKeyBackend implements KeyBackend {
    static final String PROVIDER_CLASS = "com.amazonaws.cloudhsm.jce.provider.CloudHsmProvider";

    private final AuthProvider provider;
    private final KeyStore keyStore;
    private final Path certificates;
    private final String user;
    private final Supplier<char[]> password;
    private final TokenLogin tokenLogin;

    public CloudHsmJceKeyBackend(List<Path> jars, Path certificates, String user, Supplier<char[]> password) {
        this.certificates = certificates;
        this.user = user;
        this.password = password;
        this.provider = load(jars);
        this.tokenLogin = new TokenLogin(provider, this::login);
        login();
        try {
            this.keyStore = KeyStore.getInstance("CloudHSM", provider);
            keyStore.load(null, null);
        } catch (IOException | GeneralSecurityException e) {
            throw new KeyBackendException("the CloudHSM provider offers no key store: " + rootMessage(e), null);
        }
    }

    private static AuthProvider load(List<Path> jars) {
        if (jars.isEmpty()) {
            throw new KeyBackendException(
                    "no CloudHSM JCE jar configured: install the CloudHSM client and point"
                            + " imprint.hsm.cloudhsm.jars at /opt/cloudhsm/java/cloudhsm-<version>.jar",
                    null);
        }
        URL[] urls = new URL[jars.size()];
        for (int i = 0; i < urls.length; i++) {
            Path jar = jars.get(i);
            if (!Files.isReadable(jar)) {
                throw new KeyBackendException(
                        "CloudHSM JCE jar " + jar + " does not exist or is not readable;"
                                + " install the CloudHSM client package (it is not on Maven Central)",
                        null);
            }
            try {
                urls[i] = jar.toUri().toURL();
            } catch (MalformedURLException e) {
                throw new KeyBackendException("bad CloudHSM jar path " + jar, null);
            }
        }
        try {
            Class<?> type = Class.forName(
                    PROVIDER_CLASS, true, new URLClassLoader(urls, CloudHsmJceKeyBackend.class.getClassLoader()));
            return (AuthProvider) type.getDeclaredConstructor().newInstance();
        } catch (ReflectiveOperationException | LinkageError | ClassCastException e) {
            throw new KeyBackendException(
                    "cannot load " + PROVIDER_CLASS + " from " + jars + ": " + rootMessage(e), null);
        }
    }

    private void login() {
        char[] secret = password.get();
        try {
            provider.login(null, callbacks -> {
                for (var callback : callbacks) {
                    if (callback instanceof NameCallback name) {
                        name.setName(user);
                    } else if (callback instanceof PasswordCallback pin) {
                        pin.setPassword(secret);
                    } else {
                        throw new UnsupportedCallbackException(callback);
                    }
                }
            });
        } catch (LoginException e) {
            throw new KeyBackendException(
                    "cannot log in to CloudHSM as crypto user '" + user + "': " + rootMessage(e), null);
        } finally {
            Arrays.fill(secret, '\0');
        }
    }

    @Override
    public CaKey key(String alias) {
        try {
            Key key = keyStore.getKey(alias, null);
            if (!(key instanceof PrivateKey privateKey)) {
                throw new KeyBackendException(description() + " has no private key labelled '" + alias + "'", null);
            }
            return new CaKey(alias, privateKey, provider, chain(alias));
        } catch (GeneralSecurityException e) {
            throw new KeyBackendException("cannot read key '" + alias + "' from CloudHSM: " + rootMessage(e), e);
        }
    }

    private List<X509Certificate> chain(String alias) {
        Path file = certificates.resolve(alias + ".pem");
        try {
            return Pem.certificates(Files.readString(file));
        } catch (IOException e) {
            throw new KeyBackendException(
                    "no certificate chain for CloudHSM key '" + alias + "': expected " + file, null);
        }
    }

    @Override
    public boolean contains(String alias) {
        try {
            return keyStore.isKeyEntry(alias) && Files.isReadable(certificates.resolve(alias + ".pem"));
        } catch (GeneralSecurityException e) {
            throw new KeyBackendException("cannot read CloudHSM key store: " + rootMessage(e), e);
        }
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
        return "AWS CloudHSM through its JCE provider";
    }

    public Provider provider() {
        return provider;
    }
}
