package io.imprint.audit.service;

import io.imprint.audit.persistence.AuditRecordEntity;
import io.imprint.audit.persistence.AuditRepository;
import io.imprint.contracts.EventType;
import io.imprint.contracts.events.CertIssuedV1;
import io.imprint.contracts.events.ImprintEvent;
import io.imprint.pki.audit.AuditChain;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;

/**
 * Appends events to the hash-chained log, once each: a redelivered event (same type and requestId) is
 * recognised and not logged twice, and a certificate is logged as issued once (a replayed {@code cert.issued}
 * under another request id is not a second issuance). Appends are serialised by a database lock, so two
 * audit instances still build one chain.
 */
@ApplicationScoped
public class AuditService {
    /** The CloudEvents source of what audit publishes. */
    public static final String SERVICE = "audit";

    private static final int VERIFY_PAGE = 500;
    private final AuditRepository records;

    public AuditService(AuditRepository records) {
        this.records = records;
    }

    /** Logs the event unless it is logged already; true when this call logged it. */
    public Uni<Boolean> append(ImprintEvent event, byte[] payload) {
        AuditRecordEntity record = LoggedEvents.describe(event);
        record.payload = new String(payload, StandardCharsets.UTF_8);
        return Panache.withTransaction(() -> records.lockChain()
                .chain(() -> records.exists(record.eventType, record.requestId))
                .chain(seen -> seen || !(event instanceof CertIssuedV1)
                        ? Uni.createFrom().item(seen)
                        : records.issuance(record.serialNumber).map(earlier -> earlier != null))
                .chain(seen -> seen
                        ? Uni.createFrom().item(false)
                        : records.last().chain(last -> {
                            record.previousHash = last == null ? AuditChain.GENESIS : last.hash;
                            record.hash = AuditChain.link(record.previousHash, record.eventType, record.payload);
                            record.leafIndex = last == null ? 0 : last.leafIndex + 1;
                            record.leafHash = LoggedEvents.leafHash(record);
                            record.recordedAt = Instant.now();
                            return records.persist(record).replaceWith(true);
                        })));
    }

    /**
     * What a verification found.
     *
     * @param firstBrokenId the first record that breaks the chain, or null when it is intact
     * @param problem why that record breaks it, for people; null when intact
     */
    public record ChainReport(long records, boolean intact, Long firstBrokenId, String problem) {}

    /** The issuance of the certificate with this serial (lower-case hex), or null; in the caller's session. */
    public Uni<CertificateRecord> issuance(String serial) {
        return records.issuance(serial).map(r -> r == null ? null : CertificateRecord.of(r));
    }

    /**
     * Recomputes every hash from the genesis value and holds each record's columns to its event: the first
     * record edited, removed before another, moved or relabelled is named, with why.
     */
    public Uni<ChainReport> verify() {
        return verify(new ChainCheck());
    }

    Uni<ChainReport> verify(ChainCheck check) {
        return Panache.withSession(() -> verifyFrom(0L, check, 0L));
    }

    private Uni<ChainReport> verifyFrom(long afterId, ChainCheck check, long checked) {
        return records.page(afterId, VERIFY_PAGE).chain(page -> {
            for (AuditRecordEntity r : page) {
                String problem = check.problem(r);
                if (problem != null) {
                    return Uni.createFrom().item(new ChainReport(checked, false, r.id, problem));
                }
            }
            long total = checked + page.size();
            if (page.size() < VERIFY_PAGE) {
                return Uni.createFrom().item(new ChainReport(total, true, null, null));
            }
            return verifyFrom(page.get(page.size() - 1).id, check, total);
        });
    }

    public Uni<List<Long>> counts() {
        return Panache.withSession(() -> records.countType(EventType.CERT_ISSUED.ceType())
                .chain(issued -> records.countType(EventType.CSR_REJECTED.ceType())
                        .chain(rejected -> records.countType(EventType.CERT_REVOKED.ceType())
                                .map(revoked -> List.of(issued, rejected, revoked)))));
    }
}
