package io.imprint.contracts.events;

import io.imprint.contracts.RevocationReason;
import java.time.Instant;

/**
 * A certificate was revoked.
 *
 * @param requestId    the id of the revocation request (not of the original issuance)
 * @param deviceId     the device the certificate was issued to, when known
 * @param revokedBy    the authenticated operator identity
 * @param comment      why, in the operator's words (an incident or ticket), when given
 * @param jobId        the bulk revocation job that revoked it, when one did
 * @param approvedBy   the second operator who approved that job (dual control), when it needed one
 */
public record CertRevokedV1(
        String requestId,
        String serialNumber,
        String issuer,
        String deviceId,
        RevocationReason reason,
        Instant revokedAt,
        String revokedBy,
        String comment,
        String jobId,
        String approvedBy)
        implements ImprintEvent {
    public CertRevokedV1 {
        Require.text(requestId, "requestId");
        Require.text(serialNumber, "serialNumber");
        Require.text(issuer, "issuer");
        Require.present(reason, "reason");
        Require.present(revokedAt, "revokedAt");
        Require.text(revokedBy, "revokedBy");
    }

    /** A revocation of one certificate, without a comment or job. */
    public CertRevokedV1(
            String requestId,
            String serialNumber,
            String issuer,
            String deviceId,
            RevocationReason reason,
            Instant revokedAt,
            String revokedBy) {
        this(requestId, serialNumber, issuer, deviceId, reason, revokedAt, revokedBy, null, null, null);
    }
}
