package io.imprint.contracts.events;

import io.imprint.contracts.ReasonCode;
import java.time.Instant;

/**
 * A request will not get a certificate. The identifying fields are as the station claimed them (they may
 * be unauthenticated when the rejection is about the station credential itself).
 *
 * @param reason     stable machine-readable code
 * @param message    one sentence for people, never a stack trace or a secret
 * @param rejectedBy the service that decided: {@code csr-intake} or {@code signer}
 */
public record CsrRejectedV1(
        String requestId,
        String deviceId,
        String factoryId,
        String stationId,
        String orderId,
        ReasonCode reason,
        String message,
        String rejectedBy,
        Instant rejectedAt)
        implements ImprintEvent {
    public CsrRejectedV1 {
        Require.text(requestId, "requestId");
        Require.present(reason, "reason");
        Require.text(message, "message");
        Require.text(rejectedBy, "rejectedBy");
        Require.present(rejectedAt, "rejectedAt");
    }
}
