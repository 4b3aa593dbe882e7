package io.imprint.revocation.persistence;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** A CRL signed by the signer, as served on /crl. */
@Entity
@Table(name = "crl")
public class CrlEntity {
    @Id
    @Column(name = "crl_number")
    public Long crlNumber;

    @Column(nullable = false, length = 512)
    public String issuer;

    /** SHA-256 of the signing CA's public key: CRLs of an earlier CA key are never taken for ours. */
    @Column(name = "issuer_key_id", length = 64)
    public String issuerKeyId;

    @Column(name = "this_update", nullable = false)
    public Instant thisUpdate;

    @Column(name = "next_update", nullable = false)
    public Instant nextUpdate;

    @Column(name = "entry_count", nullable = false)
    public int entryCount;

    @Column(nullable = false)
    public byte[] der;

    /** Its Issuing Distribution Point; '' for a CRL of the whole CA. */
    @Column(name = "distribution_point", nullable = false, length = 1024)
    public String distributionPoint = "";

    /** The partition's number in the CA's CRL URLs; null for the whole CA. */
    @Column(name = "shard")
    public Integer shard;

    /** For a delta CRL, the full CRL it completes; null for a full CRL. */
    @Column(name = "delta_base")
    public Long deltaBase;

    /** For a full CRL, whether it names delta CRLs (Freshest CRL). */
    @Column(name = "has_deltas", nullable = false)
    public boolean hasDeltas;
}
