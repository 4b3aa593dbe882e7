package io.imprint.audit.service;

import io.imprint.audit.service.AuditSearch.Filter;
import io.imprint.audit.service.AuditSearch.RecordView;
import io.imprint.contracts.EventCodec;
import io.imprint.contracts.EventType;
import io.imprint.contracts.events.ImprintEvent;
import io.imprint.contracts.events.OrderChangedV1;
import io.imprint.contracts.events.ShipmentRecordedV1;
import io.imprint.pki.audit.Reconciliation;
import io.imprint.pki.audit.ReconciliationReport;
import io.imprint.pki.audit.ShipmentCsv;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * The quarterly audit, computed from the log alone: what was ordered (order changes up to the period's end),
 * provisioned, rejected and shipped within the period, and which certificates were revoked by its end. The log
 * is read a page at a time; the reconciliation keeps one entry per device of the scope.
 */
@ApplicationScoped
public class ReconciliationService {
    private static final String ISSUED = EventType.CERT_ISSUED.ceType();
    private static final String REJECTED = EventType.CSR_REJECTED.ceType();
    private static final String REVOKED = EventType.CERT_REVOKED.ceType();
    private static final String SHIPPED = EventType.SHIPMENT_RECORDED.ceType();
    private static final String ORDERED = EventType.ORDER_CHANGED.ceType();

    private final AuditSearch search;
    private final AuditService audit;
    private final AuditOutbox outbox;

    public ReconciliationService(AuditSearch search, AuditService audit, AuditOutbox outbox) {
        this.search = search;
        this.audit = audit;
        this.outbox = outbox;
    }

    /**
     * What a report covers; null means every factory, every order, from the beginning, up to now.
     *
     * @param from inclusive
     * @param to exclusive
     */
    public record Scope(String factoryId, String orderId, Instant from, Instant to) {
        public Scope {
            if (from != null && to != null && !from.isBefore(to)) {
                throw new IllegalArgumentException("from must be before to");
            }
        }
    }

    public Uni<ReconciliationReport> report(Scope scope) {
        Reconciliation reconciliation = new Reconciliation();
        Filter orders = filter(scope, ORDERED, null);
        Filter activity = filter(scope, null, scope.from());
        Filter revocations = new Filter(null, null, null, null, null, REVOKED, null, scope.to());
        return feed(orders, r -> {
                    OrderChangedV1 change = decode(r, OrderChangedV1.class);
                    reconciliation.ordered(change.orderId(), change.factoryId(), change.quantity());
                })
                .chain(() -> feed(activity, r -> activity(reconciliation, r)))
                .chain(() -> feed(revocations, r -> reconciliation.revoked(r.serialNumber())))
                .map(done -> reconciliation.report(
                        scope.factoryId(), scope.orderId(), scope.from(), scope.to(), Instant.now()));
    }

    /** What a shipment file recorded: shipments logged now, and those the log already held. */
    public record UploadResult(int shipments, int recorded, int alreadyRecorded, long devices) {}

    /**
     * Logs each shipment of a warehouse's file as a {@code shipment.recorded} event, once per shipment id, and
     * queues each one logged now for {@code imprint.shipment.recorded.v1} in the same transaction, so
     * fleet-registry learns of it as of the ERP's.
     *
     * @throws ShipmentCsv.InvalidShipmentFile before anything is logged, when a line is wrong
     */
    public Uni<UploadResult> upload(String csv) {
        List<AuditService.Entry> entries = new ArrayList<>();
        long devices = 0;
        for (ShipmentCsv.Shipment s : ShipmentCsv.parse(csv)) {
            ShipmentRecordedV1 shipment = new ShipmentRecordedV1(
                    s.shipmentId(), s.orderId(), s.factoryId(), s.quantity(), s.shippedAt(), s.deviceIds());
            entries.add(AuditService.Entry.of(shipment, EventCodec.encode(shipment)));
            devices += shipment.quantity();
        }
        long shippedDevices = devices;
        return audit.appendAll(entries, outbox.queue(record -> record.orderId))
                .map(recorded -> new UploadResult(entries.size(), recorded, entries.size() - recorded, shippedDevices));
    }

    private static void activity(Reconciliation reconciliation, RecordView r) {
        String type = r.eventType();
        if (type.equals(ISSUED)) {
            reconciliation.issued(r.orderId(), r.factoryId(), r.deviceId(), r.serialNumber());
        } else if (type.equals(REJECTED)) {
            reconciliation.rejected(r.orderId(), r.factoryId(), r.reason());
        } else if (type.equals(SHIPPED)) {
            ShipmentRecordedV1 shipment = decode(r, ShipmentRecordedV1.class);
            reconciliation.shipped(shipment.orderId(), shipment.factoryId(), shipment.quantity(), shipment.deviceIds());
        }
        // Order changes were read up to the period's end, revocations are read next.
    }

    private Uni<Void> feed(Filter filter, Consumer<RecordView> into) {
        return search.export(filter).onItem().invoke(into).onItem().ignoreAsUni();
    }

    private static Filter filter(Scope scope, String type, Instant from) {
        return new Filter(null, null, scope.factoryId(), null, scope.orderId(), type, from, scope.to());
    }

    private static <T extends ImprintEvent> T decode(RecordView r, Class<T> type) {
        return EventCodec.decode(r.payload().getBytes(StandardCharsets.UTF_8), type);
    }
}
