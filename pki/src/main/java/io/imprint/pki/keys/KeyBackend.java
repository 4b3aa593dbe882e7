package io.imprint.pki.keys;

/**
 * Where CA, OCSP-responder and checkpoint keys live: a PKCS#11 token ({@link Pkcs11KeyBackend}), AWS
 * CloudHSM's JCE provider ({@link CloudHsmJceKeyBackend}) or, for tests and development only, a PKCS#12
 * file ({@link SoftwareKeyBackend}). Production backends keep keys inside an HSM.
 */
public interface KeyBackend {
    /** The key and certificate chain stored under {@code alias}; fails with a sentence an operator can act on. */
    CaKey key(String alias);

    /** Whether a key with a certificate is stored under {@code alias}. */
    boolean contains(String alias);

    /** Short description for logs and health checks: backend kind and where it is; never a PIN. */
    String description();

    /**
     * Counts reconnections. Key handles read before a reconnection may be invalid after it (PKCS#11 object
     * handles die with the login session), so holders re-read keys when this number moves.
     */
    default long generation() {
        return 0;
    }

    /**
     * Logs in again after a token error, once per failed {@code generation}: callers that saw the same
     * failure concurrently trigger one reconnection between them.
     */
    default void reconnect(long failedGeneration) {}
}
