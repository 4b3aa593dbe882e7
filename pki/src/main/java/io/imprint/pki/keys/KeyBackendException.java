package io.imprint.pki.keys;

/** The key backend is unreachable, misconfigured or refused an operation. Never carries PINs or key bytes. */
public class KeyBackendException extends RuntimeException {
    public KeyBackendException(String message, Throwable cause) {
        super(message, cause);
    }
}
