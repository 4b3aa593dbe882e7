package io.imprint.pki.keys;

/** Where CA, OCSP-responder and checkpoint keys live. Production backends keep keys inside an HSM. */
public interface KeyBackend {
    /** The key and certificate chain stored under {@code alias}; fails with a sentence an operator can act on. */
    CaKey key(String alias);

    /** Whether a key with a certificate is stored under {@code alias}. */
    boolean contains(String alias);
}
