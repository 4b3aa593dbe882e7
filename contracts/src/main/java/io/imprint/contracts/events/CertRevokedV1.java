package io.imprint.contracts.events;

import io.imprint.contracts.RevocationReason;
import java.time.Instant;

/**
 * A certificate was revoked.
 *
 * @param requestId    the id of the revocation request (not of the original issuance)
 * @param deviceId     the device the certificate was issued to, when known
 * @param revokedBy    the authenticated operator identity
 */
public record CertRevokedV1(
        String requestId,
        String serialNumber,
        String issuer,
        String deviceId,
        RevocationReason reason,
        Instant revokedAt,
        String revokedBy)
        implements ImprintEvent {
    public CertRevokedV1 {
        Require.text(requestId, "requestId");
        Require.text(serialNumber, "serialNumber");
        Require.text(issuer, "issuer");
        Require.present(reason, "reason");
        Require.present(revokedAt, "revokedAt");
        Require.text(revokedBy, "revokedBy");
    }
}
