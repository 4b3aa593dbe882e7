package io.imprint.pki.keys;

/** The key backend is unreachable, misconfigured or refused an operation. Never carries PINs or key bytes. */
public class KeyBackendException extends RuntimeException {
    public KeyBackendException(String message, Throwable cause) {
        super(message, cause);
    }

    /** The innermost cause, named by class and message: what an operator needs, without a stack trace. */
    static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getClass().getSimpleName() + (root.getMessage() == null ? "" : ": " + root.getMessage());
    }
}
