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
    /** Beyond the dual-control size: waits for a second revoker. */
    public static final String AWAITING_APPROVAL = "AWAITING_APPROVAL";

    public static final String RUNNING = "RUNNING";
    public static final String DONE = "DONE";
    /** A waiting job a revoker turned down: it never ran. */
    public static final String REJECTED = "REJECTED";

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

    @Column(nullable = false, length = 24)
    public String status;

    /** Certificates the selector matched when the job was created, revoked before or not. */
    @Column(nullable = false)
    public int selected;

    /** Certificates this job revoked so far (those already revoked are left as they were). */
    @Column(nullable = false)
    public int revoked;

    /** The second revoker who approved (or rejected) a job beyond the dual-control size. */
    @Column(name = "approved_by", length = 128)
    public String approvedBy;

    @Column(name = "approved_at")
    public Instant approvedAt;

    @Column(name = "finished_at")
    public Instant finishedAt;
}
