package io.imprint.intake.persistence;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** A station certificate an operator revoked, e.g. because the station was stolen. */
@Entity
@Table(name = "revoked_station")
public class RevokedStationEntity {
    @Id
    @Column(name = "serial_number", length = 40)
    public String serialNumber;

    @Column(length = 512)
    public String comment;

    @Column(name = "revoked_at", nullable = false)
    public Instant revokedAt;

    @Column(name = "revoked_by", nullable = false, length = 128)
    public String revokedBy;
}
