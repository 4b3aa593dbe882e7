package io.imprint.pki.keys;

import static io.imprint.pki.keys.KeyBackendException.rootMessage;

import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.Arrays;

/** A backend whose keys are reached through a JCA {@link KeyStore} of one provider. */
abstract class KeyStoreBackend implements KeyBackend {
    /** What an operator should run when a key is missing. */
    private static final String CEREMONY_HINT = "run the CA ceremony (deploy/local/ca-ceremony.sh) first";

    protected abstract KeyStore keyStore();

    /** The provider that signs with this backend's keys. */
    public abstract Provider provider();

    @Override
    public boolean contains(String alias) {
        try {
            return keyStore().isKeyEntry(alias) && keyStore().getCertificate(alias) != null;
        } catch (GeneralSecurityException e) {
            throw new KeyBackendException("cannot read " + description() + ": " + rootMessage(e), e);
        }
    }

    @Override
    public CaKey key(String alias) {
        try {
            if (!keyStore().isKeyEntry(alias) || keyStore().getCertificate(alias) == null) {
                throw new KeyBackendException(
                        description() + " has no key '" + alias + "' with a certificate; " + CEREMONY_HINT, null);
            }
            Key key = keyStore().getKey(alias, password());
            if (!(key instanceof PrivateKey privateKey)) {
                throw new KeyBackendException("'" + alias + "' in " + description() + " is not a private key", null);
            }
            Certificate[] chain = keyStore().getCertificateChain(alias);
            return new CaKey(
                    alias,
                    privateKey,
                    provider(),
                    Arrays.stream(chain).map(c -> (X509Certificate) c).toList());
        } catch (GeneralSecurityException e) {
            throw new KeyBackendException(
                    "cannot read key '" + alias + "' from " + description() + ": " + rootMessage(e), e);
        }
    }

    /** Entry password: none for HSM key stores, whose login already authorises use. */
    protected char[] password() {
        return null;
    }
}
