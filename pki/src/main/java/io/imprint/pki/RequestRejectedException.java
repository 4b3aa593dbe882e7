package io.imprint.pki;

import io.imprint.contracts.ReasonCode;

/**
 * A request fails a policy check. The message is meant for the station operator: it names what is
 * wrong and never carries key material, PINs or a stack trace.
 */
public class RequestRejectedException extends Exception {
    private final ReasonCode reason;

    public RequestRejectedException(ReasonCode reason, String message) {
        super(message, null, false, false);
        this.reason = reason;
    }

    public ReasonCode reason() {
        return reason;
    }
}
