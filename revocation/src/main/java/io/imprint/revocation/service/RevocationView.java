package io.imprint.revocation.service;

import io.imprint.revocation.persistence.RevokedCertificateEntity;
import java.time.Instant;

/** A revocation as the API shows it. */
public record RevocationView(
        String serialNumber,
        String reason,
        Instant revokedAt,
        String revokedBy,
        String requestId,
        String comment,
        String jobId) {
    static RevocationView of(RevokedCertificateEntity r) {
        return new RevocationView(
                r.serialNumber, r.reason.name(), r.revokedAt, r.revokedBy, r.requestId, r.comment, r.jobId);
    }
}
