package io.imprint.audit.service;

import io.imprint.audit.persistence.AuditRecordEntity;
import io.imprint.audit.persistence.AuditRepository;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Finds records of the log by serial, device, factory, station, order, event type and time, a page at a time
 * with a cursor (the last leaf index seen), and streams them for export without holding the result in memory.
 */
@ApplicationScoped
public class AuditSearch {
    public static final int MAX_PAGE = 1000;
    private static final int EXPORT_PAGE = 500;
    private final AuditRepository records;

    public AuditSearch(AuditRepository records) {
        this.records = records;
    }

    /**
     * One logged event with its place in the log; {@code payload} is the event exactly as logged, which
     * {@code hash} covers with {@code previousHash}: an export is checked offline record by record.
     */
    public record RecordView(
            long leafIndex,
            String eventType,
            String requestId,
            String deviceId,
            String serialNumber,
            String factoryId,
            String stationId,
            String orderId,
            String reason,
            Instant occurredAt,
            Instant recordedAt,
            String previousHash,
            String hash,
            String payload) {
        static RecordView of(AuditRecordEntity r) {
            return new RecordView(
                    r.leafIndex,
                    r.eventType,
                    r.requestId,
                    r.deviceId,
                    r.serialNumber,
                    r.factoryId,
                    r.stationId,
                    r.orderId,
                    r.reason,
                    r.occurredAt,
                    r.recordedAt,
                    r.previousHash,
                    r.hash,
                    r.payload);
        }
    }

    /**
     * What to look for; every criterion given must hold. Times bound when the event occurred, {@code from}
     * inclusive, {@code to} exclusive.
     */
    public record Filter(
            String serialNumber,
            String deviceId,
            String factoryId,
            String stationId,
            String orderId,
            String eventType,
            Instant from,
            Instant to) {}

    /**
     * One page of a search.
     *
     * @param next the cursor for the following page, or null when this one is the last
     */
    public record Page(List<RecordView> records, String next) {}

    /** Up to {@code limit} records after the cursor (null: from the start), in log order. */
    public Uni<Page> search(Filter filter, String after, int limit) {
        long from = cursor(after);
        int size = Math.min(Math.max(limit, 1), MAX_PAGE);
        return Panache.withSession(() -> records.search(filter, from, size)).map(found -> {
            List<RecordView> views = found.stream().map(RecordView::of).toList();
            String next = views.size() < size
                    ? null
                    : Long.toString(views.get(views.size() - 1).leafIndex());
            return new Page(views, next);
        });
    }

    /** Every matching record, in log order, read a page at a time as the reader takes them. */
    public Multi<RecordView> export(Filter filter) {
        AtomicLong last = new AtomicLong(-1);
        return Multi.createBy()
                .repeating()
                .uni(() -> Panache.withSession(() -> records.search(filter, last.get(), EXPORT_PAGE))
                        .invoke(page -> {
                            if (!page.isEmpty()) {
                                last.set(page.get(page.size() - 1).leafIndex);
                            }
                        }))
                .until(List::isEmpty)
                .onItem()
                .transformToIterable(page -> page.stream().map(RecordView::of).toList());
    }

    private static long cursor(String after) {
        if (after == null || after.isBlank()) {
            return -1;
        }
        try {
            return Long.parseLong(after);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("after must be a cursor this API returned as next");
        }
    }
}
