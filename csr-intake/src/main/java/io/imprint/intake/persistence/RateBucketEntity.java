package io.imprint.intake.persistence;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** A token bucket shared by all intake instances; only {@link IntakeStore#takeToken} writes it. */
@Entity
@Table(name = "rate_bucket")
public class RateBucketEntity {
    @Id
    @Column(length = 300)
    public String bucket;

    @Column(nullable = false)
    public double tokens;

    @Column(name = "refilled_at", nullable = false)
    public Instant refilledAt;
}
