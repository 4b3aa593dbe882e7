package io.imprint.fleet.persistence;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** A provisioned device, its current certificate and where it is in its life. */
@Entity
@Table(name = "device")
public class DeviceEntity {
    public enum Status {
        PROVISIONED,
        SHIPPED,
        REVOKED
    }

    @Id
    @Column(name = "device_id", length = 128)
    public String deviceId;

    @Column(name = "serial_number", nullable = false, unique = true, length = 40)
    public String serialNumber;

    @Column(nullable = false, length = 512)
    public String issuer;

    @Column(name = "factory_id", nullable = false, length = 128)
    public String factoryId;

    @Column(name = "station_id", nullable = false, length = 128)
    public String stationId;

    @Column(name = "order_id", nullable = false, length = 128)
    public String orderId;

    @Column(name = "request_id", nullable = false, length = 128)
    public String requestId;

    @Column(nullable = false, columnDefinition = "text")
    public String certificate;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false, length = 16)
    public Status status;

    @Column(name = "provisioned_at", nullable = false)
    public Instant provisionedAt;

    @Column(name = "product_model", length = 128)
    public String productModel;

    @Column(name = "secure_element_type", length = 64)
    public String secureElementType;

    @Column(name = "shipped_at")
    public Instant shippedAt;

    @Column(name = "revoked_at")
    public Instant revokedAt;

    /** Raised by every change; device.state readers keep the highest. */
    @Column(nullable = false)
    public long version;

    @Column(name = "changed_at", nullable = false)
    public Instant changedAt;
}
