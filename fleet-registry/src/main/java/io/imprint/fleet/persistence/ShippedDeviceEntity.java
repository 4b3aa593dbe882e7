package io.imprint.fleet.persistence;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** A device a shipment scanned, kept even before its certificate arrives. */
@Entity
@Table(name = "shipped_device")
public class ShippedDeviceEntity {
    @Id
    @Column(name = "device_id", length = 128)
    public String deviceId;

    @Column(name = "shipment_id", nullable = false, length = 128)
    public String shipmentId;

    @Column(name = "shipped_at", nullable = false)
    public Instant shippedAt;
}
