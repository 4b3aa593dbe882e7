package io.imprint.pki.keys;

import static io.imprint.pki.keys.KeyBackendException.rootMessage;

import io.imprint.pki.Providers;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.Provider;
import java.security.cert.Certificate;

/**
 * Keys in a PKCS#12 file, signed with in software. For tests and development only: the key is readable by
 * whoever reads the file, which is exactly what an HSM prevents. {@link KeyBackends} refuses it outside
 * the test and dev profiles.
 */
public final class SoftwareKeyBackend extends KeyStoreBackend {
    /** Password of stores built by {@link #holding}: they hold throwaway test keys, so it protects nothing. */
    public static final String HOLDING_PASSWORD = "imprint-software-test-key";

    private final KeyStore keyStore;
    private final char[] password;
    private final String where;

    private SoftwareKeyBackend(KeyStore keyStore, char[] password, String where) {
        this.keyStore = keyStore;
        this.password = password;
        this.where = where;
    }

    /** Opens a PKCS#12 file. */
    public static SoftwareKeyBackend open(Path file, char[] password) {
        try (InputStream in = Files.newInputStream(file)) {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(in, password);
            return new SoftwareKeyBackend(store, password.clone(), "PKCS#12 file " + file.getFileName());
        } catch (IOException | GeneralSecurityException e) {
            throw new KeyBackendException(
                    "cannot open PKCS#12 key file " + file + " (missing, or wrong password): " + rootMessage(e), null);
        }
    }

    /** An in-memory PKCS#12 store holding {@code keys}. */
    public static SoftwareKeyBackend holding(CaKey... keys) {
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            char[] password = HOLDING_PASSWORD.toCharArray();
            for (CaKey key : keys) {
                store.setKeyEntry(
                        key.alias(), key.privateKey(), password, key.chain().toArray(new Certificate[0]));
            }
            return new SoftwareKeyBackend(store, password, "in-memory PKCS#12 store");
        } catch (IOException | GeneralSecurityException e) {
            throw new KeyBackendException("cannot build an in-memory PKCS#12 store: " + rootMessage(e), e);
        }
    }

    /** Writes the store as a PKCS#12 file readable by its owner only. */
    public void save(Path file) {
        try (OutputStream out = Files.newOutputStream(file)) {
            keyStore.store(out, password);
        } catch (IOException | GeneralSecurityException e) {
            throw new KeyBackendException("cannot write PKCS#12 file " + file + ": " + rootMessage(e), e);
        }
        file.toFile().setReadable(false, false);
        file.toFile().setReadable(true, true);
    }

    @Override
    protected KeyStore keyStore() {
        return keyStore;
    }

    @Override
    protected char[] password() {
        return password;
    }

    /** BouncyCastle signs with the software key; the CA key then lives in this process's memory. */
    @Override
    public Provider provider() {
        return Providers.BC;
    }

    @Override
    public String description() {
        return where + " (software key, tests and development only)";
    }
}
