package io.imprint.revocation.persistence;

import io.imprint.contracts.RevocationReason;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** A revocation; never deleted (CRL entries stay until the certificate expires, and 802.1AR ones never do). */
@Entity
@Table(name = "revoked_certificate")
public class RevokedCertificateEntity {
    @Id
    @Column(name = "serial_number", length = 40)
    public String serialNumber;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false, length = 32)
    public RevocationReason reason;

    @Column(name = "revoked_at", nullable = false)
    public Instant revokedAt;

    @Column(name = "revoked_by", nullable = false, length = 128)
    public String revokedBy;

    @Column(name = "request_id", nullable = false, length = 128)
    public String requestId;

    /** Why, in the operator's words; null when none was given. */
    @Column(length = 512)
    public String comment;

    /** The bulk job that revoked it; null for a single revocation. */
    @Column(name = "job_id", length = 64)
    public String jobId;
}
