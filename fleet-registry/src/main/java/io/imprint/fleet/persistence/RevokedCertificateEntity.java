package io.imprint.fleet.persistence;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/**
 * A serial revocation announced (and signed): kept for good, so a {@code cert.issued} of it that arrives
 * later, or is replayed, never makes the certificate or its device active again.
 */
@Entity
@Table(name = "revoked_certificate")
public class RevokedCertificateEntity {
    @Id
    @Column(name = "serial_number", length = 40)
    public String serialNumber;

    @Column(name = "revoked_at", nullable = false)
    public Instant revokedAt;
}
