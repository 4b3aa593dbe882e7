package io.imprint.audit.service;

import io.imprint.audit.persistence.AuditRecordEntity;
import io.imprint.audit.persistence.AuditRepository;
import io.imprint.contracts.EventType;
import io.imprint.contracts.events.ImprintEvent;
import io.imprint.pki.audit.AuditChain;
import io.imprint.service.Await;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

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
    private static final String ISSUED = EventType.CERT_ISSUED.ceType();
    private final AuditRepository records;

    public AuditService(AuditRepository records) {
        this.records = records;
    }

    /**
     * An event to log.
     *
     * @param payload its bytes exactly as received, as UTF-8 text
     */
    public record Entry(ImprintEvent event, String payload) {
        public static Entry of(ImprintEvent event, byte[] payload) {
            return new Entry(event, new String(payload, StandardCharsets.UTF_8));
        }
    }

    /** Logs the event unless it is logged already; true when this call logged it. */
    public Uni<Boolean> append(ImprintEvent event, byte[] payload) {
        return appendAll(List.of(Entry.of(event, payload))).map(logged -> logged == 1);
    }

    /**
     * Logs, in one transaction and in their order, each of the events not logged yet (a poll's worth, say);
     * returns how many it logged. The same event twice in the list, or a certificate issued twice, is logged
     * once.
     */
    public Uni<Integer> appendAll(List<Entry> entries) {
        return appendAll(entries, fresh -> Uni.createFrom().voidItem());
    }

    /**
     * As {@link #appendAll(List)}, and runs {@code alongside} with the records this call logged, in the same
     * transaction: an outbox row written there exists exactly when its record does.
     */
    Uni<Integer> appendAll(List<Entry> entries, Function<List<AuditRecordEntity>, Uni<Void>> alongside) {
        List<AuditRecordEntity> described = new ArrayList<>();
        for (Entry entry : entries) {
            AuditRecordEntity record = LoggedEvents.describe(entry.event());
            record.payload = entry.payload();
            described.add(record);
        }
        List<String> types = described.stream().map(r -> r.eventType).distinct().toList();
        List<String> requestIds =
                described.stream().map(r -> r.requestId).distinct().toList();
        List<String> issuedSerials = described.stream()
                .filter(r -> r.eventType.equals(ISSUED))
                .map(r -> r.serialNumber)
                .distinct()
                .toList();
        return Panache.withTransaction(() -> records.lockChain()
                .chain(() -> records.logged(types, requestIds))
                .chain(logged -> records.issuedSerials(issuedSerials)
                        .chain(issued -> records.last().chain(last -> {
                            List<AuditRecordEntity> fresh = link(described, logged, issued, last);
                            if (fresh.isEmpty()) {
                                return Uni.createFrom().item(0);
                            }
                            // Ids increase with the chain: they are drawn under the chain lock, in order.
                            return records.nextIds(fresh.size()).chain(ids -> {
                                for (int i = 0; i < fresh.size(); i++) {
                                    fresh.get(i).id = ids.get(i);
                                }
                                return records.persist(fresh)
                                        .chain(() -> alongside.apply(fresh))
                                        .replaceWith(fresh.size());
                            });
                        }))));
    }

    /** Chains the records not logged yet onto {@code last}, in order; skips the others. */
    private static List<AuditRecordEntity> link(
            List<AuditRecordEntity> described, Set<String> logged, Set<String> issued, AuditRecordEntity last) {
        String previous = last == null ? AuditChain.GENESIS : last.hash;
        long index = last == null ? 0 : last.leafIndex + 1;
        Instant now = Instant.now();
        List<AuditRecordEntity> fresh = new ArrayList<>();
        for (AuditRecordEntity record : described) {
            boolean issuance = record.eventType.equals(ISSUED);
            if (!logged.add(record.eventType + "\n" + record.requestId)
                    || (issuance && !issued.add(record.serialNumber))) {
                continue;
            }
            record.previousHash = previous;
            record.hash = AuditChain.link(previous, record.eventType, record.payload);
            record.leafIndex = index++;
            record.leafHash = LoggedEvents.leafHash(record);
            record.recordedAt = now;
            previous = record.hash;
            fresh.add(record);
        }
        return fresh;
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
     * record edited, removed before another, moved or relabelled is named, with why. Blocking: a page at a time,
     * each read in a session of its own and dropped once checked, so a log of any size walks in constant memory.
     */
    ChainReport verify(ChainCheck check) {
        long afterId = 0;
        long checked = 0;
        while (true) {
            long after = afterId;
            List<AuditRecordEntity> page =
                    Await.result(() -> Panache.withSession(() -> records.page(after, VERIFY_PAGE)));
            for (AuditRecordEntity r : page) {
                String problem = check.problem(r);
                if (problem != null) {
                    return new ChainReport(checked, false, r.id, problem);
                }
                checked++;
            }
            if (page.size() < VERIFY_PAGE) {
                return new ChainReport(checked, true, null, null);
            }
            afterId = page.get(page.size() - 1).id;
        }
    }

    public Uni<List<Long>> counts() {
        return Panache.withSession(() -> records.countType(EventType.CERT_ISSUED.ceType())
                .chain(issued -> records.countType(EventType.CSR_REJECTED.ceType())
                        .chain(rejected -> records.countType(EventType.CERT_REVOKED.ceType())
                                .map(revoked -> List.of(issued, rejected, revoked)))));
    }
}
