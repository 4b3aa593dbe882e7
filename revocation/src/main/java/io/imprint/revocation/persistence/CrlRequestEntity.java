package io.imprint.revocation.persistence;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.SequenceGenerator;
import jakarta.persistence.Table;
import java.time.Instant;

/** A CRL asked of the signer; its id is the CRL number, strictly increasing. */
@Entity
@Table(name = "crl_request")
public class CrlRequestEntity {
    @Id
    @GeneratedValue(strategy = GenerationType.SEQUENCE, generator = "crl_number_seq")
    @SequenceGenerator(name = "crl_number_seq", sequenceName = "crl_number_seq", allocationSize = 1)
    @Column(name = "crl_number")
    public Long crlNumber;

    @Column(name = "request_id", nullable = false, length = 128)
    public String requestId;

    /** RFC 4514 name of the CA whose CRL this is (absent on requests made before CAs were told apart). */
    @Column(length = 512)
    public String issuer;

    @Column(name = "entry_count", nullable = false)
    public int entryCount;

    @Column(name = "requested_at", nullable = false)
    public Instant requestedAt;

    /** The CRL distribution point this CRL covers; '' for the whole CA. */
    @Column(name = "distribution_point", nullable = false, length = 1024)
    public String distributionPoint = "";

    /** For a delta CRL, the full CRL it completes; null for a full CRL. */
    @Column(name = "delta_base")
    public Long deltaBase;

    /** The highest revocation number on this CRL or its base: a delta over it lists those above. */
    @Column(name = "revocations_through", nullable = false)
    public long revocationsThrough;
}
