package io.imprint.revocation.persistence;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Index;
import jakarta.persistence.Table;
import java.time.Instant;

/** A certificate the signer issued: OCSP answers "good" only for these, "unknown" for anything else. */
@Entity
@Table(name = "issued_certificate", indexes = @Index(name = "issued_certificate_device", columnList = "device_id"))
public class IssuedCertificateEntity {
    @Id
    @Column(name = "serial_number", length = 40)
    public String serialNumber;

    @Column(nullable = false, length = 512)
    public String issuer;

    @Column(name = "device_id", nullable = false, length = 128)
    public String deviceId;

    @Column(name = "request_id", nullable = false, length = 128)
    public String requestId;

    @Column(name = "issued_at", nullable = false)
    public Instant issuedAt;

    /** As {@code cert.issued} named them; null for certificates recorded before bulk revocation. */
    @Column(name = "factory_id", length = 128)
    public String factoryId;

    @Column(name = "station_id", length = 128)
    public String stationId;

    @Column(name = "order_id", length = 128)
    public String orderId;

    /** The CRL distribution point the certificate carries; '' for none. */
    @Column(name = "crl_scope", nullable = false, length = 1024)
    public String crlScope = "";
}
