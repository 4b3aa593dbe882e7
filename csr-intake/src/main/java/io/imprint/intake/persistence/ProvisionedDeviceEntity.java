package io.imprint.intake.persistence;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** A device id that was accepted once; a second acceptance needs an order that allows re-provisioning. */
@Entity
@Table(name = "provisioned_device")
public class ProvisionedDeviceEntity {
    @Id
    @Column(name = "device_id", length = 128)
    public String deviceId;

    @Column(name = "order_id", nullable = false, length = 128)
    public String orderId;

    @Column(name = "request_id", nullable = false, length = 128)
    public String requestId;

    @Column(name = "accepted_at", nullable = false)
    public Instant acceptedAt;

    @Column(name = "times_provisioned", nullable = false)
    public int timesProvisioned;
}
