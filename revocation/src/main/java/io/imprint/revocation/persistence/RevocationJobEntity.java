package io.imprint.revocation.persistence;

import io.imprint.contracts.RevocationReason;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** A bulk revocation: what it selects, why, on whose word, and how far it got. */
@Entity
@Table(name = "revocation_job")
public class RevocationJobEntity {
    public static final String RUNNING = "RUNNING";
    public static final String DONE = "DONE";

    @Id
    @Column(length = 36)
    public String id;

    /** The selector as JSON, as the operator gave it (serials of an uploaded list are in their own table). */
    @Column(nullable = false, columnDefinition = "text")
    public String selector;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false, length = 32)
    public RevocationReason reason;

    @Column(length = 512)
    public String comment;

    @Column(name = "requested_by", nullable = false, length = 128)
    public String requestedBy;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(nullable = false, length = 16)
    public String status;

    /** Certificates the selector matched when the job was created, revoked before or not. */
    @Column(nullable = false)
    public int selected;

    /** Certificates this job revoked so far (those already revoked are left as they were). */
    @Column(nullable = false)
    public int revoked;

    @Column(name = "finished_at")
    public Instant finishedAt;
}
