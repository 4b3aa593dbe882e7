package io.imprint.pki.audit;

import io.imprint.pki.audit.ReconciliationReport.OrderLine;
import io.imprint.pki.audit.ReconciliationReport.Totals;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Reconciles a factory's provisioning against what was ordered and what was shipped, from the audit log's own
 * records fed in log order: order changes, issued certificates, revocations, rejected attempts and shipments.
 * Devices are matched by id; a shipment reported as a count covers that many devices without naming them.
 * Holds one entry per device of the scope.
 */
public final class Reconciliation {
    private final Map<String, Tally> orders = new TreeMap<>();
    private final Set<String> revokedSerials = new HashSet<>();

    /** csr-intake created or changed the order: the latest quantity counts. */
    public void ordered(String orderId, String factoryId, long quantity) {
        tally(orderId, factoryId).ordered = quantity;
    }

    public void issued(String orderId, String factoryId, String deviceId, String serial) {
        Tally tally = tally(orderId, factoryId);
        String earlier = tally.currentSerial.put(deviceId, serial);
        if (earlier != null) {
            tally.reprovisioned.add(deviceId);
        }
    }

    public void revoked(String serial) {
        revokedSerials.add(serial);
    }

    public void rejected(String orderId, String factoryId, String reason) {
        tally(orderId, factoryId).rejections.merge(reason, 1L, Long::sum);
    }

    /**
     * Devices left the factory.
     *
     * @param deviceIds the devices scanned; empty when the shipment is reported as a count
     */
    public void shipped(String orderId, String factoryId, long quantity, List<String> deviceIds) {
        Tally tally = tally(orderId, factoryId);
        if (deviceIds.isEmpty()) {
            tally.shippedByCount += quantity;
            return;
        }
        for (String device : deviceIds) {
            tally.scans.merge(device, 1, Integer::sum);
        }
    }

    public ReconciliationReport report(String factoryId, String orderId, Instant from, Instant to, Instant now) {
        List<OrderLine> lines = new ArrayList<>();
        orders.values().forEach(tally -> lines.add(line(tally)));
        lines.sort(Comparator.comparing(OrderLine::factoryId, Comparator.nullsFirst(Comparator.naturalOrder()))
                .thenComparing(OrderLine::orderId, Comparator.nullsFirst(Comparator.naturalOrder())));
        return new ReconciliationReport(factoryId, orderId, from, to, now, lines, totals(lines));
    }

    private OrderLine line(Tally tally) {
        Set<String> provisioned = tally.currentSerial.keySet();
        List<String> unshipped = new ArrayList<>();
        List<String> notProvisioned = new ArrayList<>();
        List<String> duplicates = new ArrayList<>();
        List<String> revoked = new ArrayList<>();
        for (String device : provisioned) {
            if (!tally.scans.containsKey(device)) {
                unshipped.add(device);
            }
        }
        // Sorted as a list, not copied into a sorted set first: a million devices' worth of tree nodes.
        unshipped.sort(Comparator.naturalOrder());
        List<String> scannedDevices = new ArrayList<>(tally.scans.keySet());
        scannedDevices.sort(Comparator.naturalOrder());
        for (String device : scannedDevices) {
            if (!provisioned.contains(device)) {
                notProvisioned.add(device);
            } else if (revokedSerials.contains(tally.currentSerial.get(device))) {
                revoked.add(device);
            }
            if (tally.scans.get(device) > 1) {
                duplicates.add(device);
            }
        }
        long scanned =
                tally.scans.values().stream().mapToLong(Integer::longValue).sum();
        long shipped = scanned + tally.shippedByCount;
        // Devices shipped by count are some of the unscanned ones; which ones, no record says.
        long notShipped = Math.max(0, unshipped.size() - tally.shippedByCount);
        long over = tally.ordered == null ? provisioned.size() : Math.max(0, provisioned.size() - tally.ordered);
        boolean reconciled = tally.ordered != null
                && over == 0
                && notShipped == 0
                && shipped == provisioned.size()
                && notProvisioned.isEmpty()
                && duplicates.isEmpty()
                && revoked.isEmpty();
        return new OrderLine(
                tally.orderId,
                tally.factoryId,
                tally.ordered,
                provisioned.size(),
                shipped,
                over,
                notShipped,
                tally.shippedByCount == 0 ? unshipped : List.of(),
                notProvisioned,
                duplicates,
                revoked,
                new ArrayList<>(new TreeSet<>(tally.reprovisioned)),
                tally.rejections,
                reconciled);
    }

    private static Totals totals(List<OrderLine> lines) {
        long ordered = 0;
        long provisioned = 0;
        long shipped = 0;
        long notShipped = 0;
        long notProvisioned = 0;
        long duplicates = 0;
        long revoked = 0;
        long rejected = 0;
        boolean reconciled = true;
        for (OrderLine line : lines) {
            ordered += line.ordered() == null ? 0 : line.ordered();
            provisioned += line.provisioned();
            shipped += line.shipped();
            notShipped += line.provisionedNotShipped();
            notProvisioned += line.shippedNotProvisioned().size();
            duplicates += line.duplicateShipments().size();
            revoked += line.revokedButShipped().size();
            rejected += line.rejected();
            // Rejected attempts that named no order are findings, not a failure to reconcile an order.
            reconciled &= line.reconciled() || line.orderId() == null;
        }
        return new Totals(
                ordered, provisioned, shipped, notShipped, notProvisioned, duplicates, revoked, rejected, reconciled);
    }

    private Tally tally(String orderId, String factoryId) {
        // Attempts that named no order are tallied per factory.
        String key = orderId == null ? "\0" + factoryId : orderId;
        return orders.computeIfAbsent(key, k -> new Tally(orderId, factoryId));
    }

    /** What the log says of one order so far. */
    private static final class Tally {
        final String orderId;
        final String factoryId;
        Long ordered;
        /** Each provisioned device's newest certificate. */
        final Map<String, String> currentSerial = new HashMap<>();

        final Set<String> reprovisioned = new HashSet<>();
        /** Each scanned device's number of scans. */
        final Map<String, Integer> scans = new HashMap<>();

        long shippedByCount;
        final Map<String, Long> rejections = new LinkedHashMap<>();

        Tally(String orderId, String factoryId) {
            this.orderId = orderId;
            this.factoryId = factoryId;
        }
    }
}
