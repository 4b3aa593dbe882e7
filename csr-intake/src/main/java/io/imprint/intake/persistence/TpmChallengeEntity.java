package io.imprint.intake.persistence;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/**
 * A credential-activation challenge issued to a TPM submission, kept until answered or expired. It holds the
 * secret's SHA-256 only, and everything the answer must repeat: the station, the device, the TPM (its EK),
 * its attestation key and the certified key.
 */
@Entity
@Table(name = "tpm_challenge")
public class TpmChallengeEntity {
    /** The challenged submission's request id. */
    @Id
    @Column(name = "challenge_id", length = 128)
    public String challengeId;

    @Column(name = "factory_id", nullable = false, length = 128)
    public String factoryId;

    @Column(name = "station_id", nullable = false, length = 128)
    public String stationId;

    @Column(name = "device_id", nullable = false, length = 128)
    public String deviceId;

    @Column(name = "ek_sha256", nullable = false, length = 64)
    public String ekSha256;

    @Column(name = "ak_name", nullable = false, length = 200)
    public String akName;

    @Column(name = "key_sha256", nullable = false, length = 64)
    public String keySha256;

    @Column(name = "secret_sha256", nullable = false, length = 64)
    public String secretSha256;

    @Column(name = "issued_at", nullable = false)
    public Instant issuedAt;

    @Column(name = "expires_at", nullable = false)
    public Instant expiresAt;

    /** The request that answered it; a challenge is answered once. */
    @Column(name = "answered_by", length = 128)
    public String answeredBy;
}
