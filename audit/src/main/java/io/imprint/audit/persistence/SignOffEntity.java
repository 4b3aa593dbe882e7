package io.imprint.audit.persistence;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.SequenceGenerator;
import jakarta.persistence.Table;
import java.time.Instant;

/** A reconciliation signed off: the document exactly as the audit key signed it, and the signature. */
@Entity
@Table(name = "sign_off")
public class SignOffEntity {
    @Id
    @GeneratedValue(strategy = GenerationType.SEQUENCE, generator = "sign_off_seq")
    @SequenceGenerator(name = "sign_off_seq", sequenceName = "sign_off_seq", allocationSize = 1)
    public Long id;

    @Column(name = "factory_id", length = 128)
    public String factoryId;

    @Column(name = "order_id", length = 128)
    public String orderId;

    @Column(name = "period_from")
    public Instant periodFrom;

    @Column(name = "period_to")
    public Instant periodTo;

    @Column(name = "signed_off_by", nullable = false, length = 128)
    public String signedOffBy;

    @Column(name = "signed_off_at", nullable = false)
    public Instant signedOffAt;

    @Column(name = "tree_size", nullable = false)
    public Long treeSize;

    @Column(nullable = false)
    public boolean reconciled;

    /** UTF-8 JSON, the exact bytes signed. */
    @Column(nullable = false, columnDefinition = "text")
    public String document;

    /** Detached CMS SignedData, DER, base64. */
    @Column(nullable = false, columnDefinition = "text")
    public String signature;
}
