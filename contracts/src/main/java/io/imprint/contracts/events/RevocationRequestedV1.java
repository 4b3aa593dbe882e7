package io.imprint.contracts.events;

import io.imprint.contracts.RevocationReason;
import java.time.Instant;

/**
 * An operator asks, away from the revocation service's API, for one certificate to be revoked: at headquarters for
 * an offline factory (the record crosses the factory's link and its revocation service revokes when it arrives), or
 * anywhere an operator cannot reach that API. Signed by the operator's own key (headers {@code imprint-operator-cert},
 * {@code imprint-operator-signature}; certificate from the operator CA): revocation acts on it only when the signature
 * verifies, the certificate names this {@code operator}, and the roles file gives that operator the revoker role.
 * Revoking is never undone, so a request sent twice revokes once and a replayed one changes nothing.
 *
 * @param requestId   the id the revocation keeps ({@code cert.revoked}'s requestId); chosen by the operator's tool
 * @param serialNumber the certificate's serial, lower-case hex
 * @param comment     why, in the operator's words (an incident or ticket); may be null
 * @param operator    who asks: the operator name of the signing certificate
 * @param requestedAt when the operator signed it
 */
public record RevocationRequestedV1(
        String requestId,
        String serialNumber,
        RevocationReason reason,
        String comment,
        String operator,
        Instant requestedAt)
        implements ImprintEvent {
    public RevocationRequestedV1 {
        Require.text(requestId, "requestId");
        Require.text(serialNumber, "serialNumber");
        Require.present(reason, "reason");
        Require.text(operator, "operator");
        Require.present(requestedAt, "requestedAt");
    }
}
