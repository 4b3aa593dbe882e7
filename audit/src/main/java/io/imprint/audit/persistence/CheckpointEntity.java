package io.imprint.audit.persistence;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** A tree head of the log, signed by the audit key: the body exactly as signed and the DER signature, base64. */
@Entity
@Table(name = "checkpoint")
public class CheckpointEntity {
    @Id
    @Column(name = "tree_size")
    public Long treeSize;

    @Column(name = "root_hash", nullable = false, length = 64)
    public String rootHash;

    @Column(name = "made_at", nullable = false)
    public Instant madeAt;

    @Column(nullable = false, columnDefinition = "text")
    public String body;

    @Column(nullable = false, columnDefinition = "text")
    public String signature;

    /** When it went out on the checkpoint topic; null until then. */
    @Column(name = "published_at")
    public Instant publishedAt;
}
