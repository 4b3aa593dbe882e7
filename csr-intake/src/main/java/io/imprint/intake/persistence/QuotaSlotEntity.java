package io.imprint.intake.persistence;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Index;
import jakarta.persistence.Table;

/**
 * One unit of an order's quantity. An order of N has N slots, made when it is created; an accepted request
 * claims one (SKIP LOCKED, so concurrent requests claim different slots instead of queueing on one counter).
 * No slot, no acceptance: an order can never yield more than its quantity.
 */
@Entity
@Table(name = "quota_slot", indexes = @Index(name = "quota_slot_free", columnList = "order_id, request_id"))
public class QuotaSlotEntity {
    @Id
    @Column(name = "slot_id", length = 160)
    public String slotId;

    @Column(name = "order_id", nullable = false, length = 128)
    public String orderId;

    @Column(name = "slot_no", nullable = false)
    public int slotNo;

    @Column(name = "request_id", length = 128)
    public String requestId;
}
