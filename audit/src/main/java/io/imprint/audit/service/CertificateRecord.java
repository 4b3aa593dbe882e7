package io.imprint.audit.service;

import io.imprint.audit.persistence.AuditRecordEntity;
import java.time.Instant;

/** An issued certificate as the provisioning log recorded it, with its place in the hash chain. */
public record CertificateRecord(
        String serialNumber,
        String deviceId,
        String factoryId,
        String stationId,
        String orderId,
        String requestId,
        Instant issuedAt,
        Instant recordedAt,
        long sequence,
        String hash) {
    static CertificateRecord of(AuditRecordEntity r) {
        return new CertificateRecord(
                r.serialNumber,
                r.deviceId,
                r.factoryId,
                r.stationId,
                r.orderId,
                r.requestId,
                r.occurredAt,
                r.recordedAt,
                r.id,
                r.hash);
    }
}
