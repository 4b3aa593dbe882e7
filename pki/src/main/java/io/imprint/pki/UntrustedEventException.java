package io.imprint.pki;

import io.imprint.contracts.QuarantineReason;

/**
 * A record read from a topic is not what it claims to be, or would break an invariant of the CA, so it must
 * never be acted on: the consumer sets it aside on its dead-letter topic with {@link #reason()}. The message
 * names the defect for an SRE and never carries key material.
 */
public class UntrustedEventException extends RuntimeException {
    private final QuarantineReason reason;

    public UntrustedEventException(QuarantineReason reason, String message) {
        super(message, null, false, false);
        this.reason = reason;
    }

    public QuarantineReason reason() {
        return reason;
    }
}
