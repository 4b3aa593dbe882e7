package io.imprint.fleet.persistence;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** One certificate a device was given: its history, and what tells a replayed issuance from a new one. */
@Entity
@Table(name = "device_certificate")
public class DeviceCertificateEntity {
    public enum Status {
        CURRENT,
        SUPERSEDED,
        REVOKED
    }

    @Id
    @Column(name = "serial_number", length = 40)
    public String serialNumber;

    @Column(name = "device_id", nullable = false, length = 128)
    public String deviceId;

    @Column(nullable = false, length = 512)
    public String issuer;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false, length = 16)
    public Status status;

    @Column(name = "not_before", nullable = false)
    public Instant notBefore;

    @Column(name = "request_id", nullable = false, length = 128)
    public String requestId;
}
