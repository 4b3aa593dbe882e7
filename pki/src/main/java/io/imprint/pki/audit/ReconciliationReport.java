package io.imprint.pki.audit;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The quarterly audit of one scope (a factory, an order, a period): per production order, what was ordered,
 * provisioned and shipped, and every device where the three disagree, named.
 *
 * @param factoryId the factory reported on, or null for every factory
 * @param orderId the order reported on, or null for every order of the scope
 * @param from first instant of the period (inclusive), or null for the log's beginning
 * @param to end of the period (exclusive), or null for now
 */
public record ReconciliationReport(
        String factoryId,
        String orderId,
        Instant from,
        Instant to,
        Instant generatedAt,
        List<OrderLine> orders,
        Totals totals) {
    public ReconciliationReport {
        orders = List.copyOf(orders);
    }

    /**
     * One production order.
     *
     * @param orderId the order, or null for rejected attempts that named no order
     * @param ordered the order's quantity as csr-intake last announced it, or null when no order was logged
     * @param provisioned devices given a certificate (each device once)
     * @param shipped devices shipped (scanned ones plus those reported as a count)
     * @param overProvisioned devices provisioned beyond the ordered quantity
     * @param provisionedNotShipped how many provisioned devices no shipment accounts for
     * @param unshippedDevices those devices by id; empty when shipments reported as counts leave them unnamed
     * @param shippedNotProvisioned scanned devices that never received a certificate (counterfeit or foreign)
     * @param duplicateShipments devices scanned into more than one shipment, or twice into one
     * @param revokedButShipped shipped devices whose current certificate is revoked
     * @param reprovisioned devices given more than one certificate
     * @param rejectedByReason rejected provisioning attempts per reason code (over-quota and counterfeit ones too)
     * @param reconciled everything provisioned was ordered and shipped once, and nothing else was shipped
     */
    public record OrderLine(
            String orderId,
            String factoryId,
            Long ordered,
            long provisioned,
            long shipped,
            long overProvisioned,
            long provisionedNotShipped,
            List<String> unshippedDevices,
            List<String> shippedNotProvisioned,
            List<String> duplicateShipments,
            List<String> revokedButShipped,
            List<String> reprovisioned,
            Map<String, Long> rejectedByReason,
            boolean reconciled) {
        public OrderLine {
            unshippedDevices = List.copyOf(unshippedDevices);
            shippedNotProvisioned = List.copyOf(shippedNotProvisioned);
            duplicateShipments = List.copyOf(duplicateShipments);
            revokedButShipped = List.copyOf(revokedButShipped);
            reprovisioned = List.copyOf(reprovisioned);
            rejectedByReason = Map.copyOf(rejectedByReason);
        }

        public long rejected() {
            return rejectedByReason.values().stream().mapToLong(Long::longValue).sum();
        }
    }

    /** The scope's sums over its orders. */
    public record Totals(
            long ordered,
            long provisioned,
            long shipped,
            long provisionedNotShipped,
            long shippedNotProvisioned,
            long duplicateShipments,
            long revokedButShipped,
            long rejected,
            boolean reconciled) {}

    /** Every order reconciles. */
    public boolean reconciled() {
        return totals.reconciled();
    }

    /** One line per order, counts only; {@link #discrepanciesCsv} names the devices. */
    public String csv() {
        StringBuilder out = new StringBuilder(Csv.line(
                "order_id",
                "factory_id",
                "ordered",
                "provisioned",
                "shipped",
                "over_provisioned",
                "provisioned_not_shipped",
                "shipped_not_provisioned",
                "duplicate_shipments",
                "revoked_but_shipped",
                "reprovisioned",
                "rejected",
                "rejected_by_reason",
                "reconciled"));
        for (OrderLine line : orders) {
            out.append(Csv.line(
                    line.orderId(),
                    line.factoryId(),
                    line.ordered(),
                    line.provisioned(),
                    line.shipped(),
                    line.overProvisioned(),
                    line.provisionedNotShipped(),
                    (long) line.shippedNotProvisioned().size(),
                    (long) line.duplicateShipments().size(),
                    (long) line.revokedButShipped().size(),
                    (long) line.reprovisioned().size(),
                    line.rejected(),
                    reasons(line.rejectedByReason()),
                    String.valueOf(line.reconciled())));
        }
        return out.toString();
    }

    /** One line per named device: {@code order_id, factory_id, finding, device_id}. */
    public String discrepanciesCsv() {
        StringWriter out = new StringWriter();
        try {
            writeDiscrepanciesCsv(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a StringWriter does not fail
        }
        return out.toString();
    }

    /**
     * {@link #discrepanciesCsv} written line by line to {@code out}: a whole fleet's findings are millions of
     * lines, never held as one text.
     */
    public void writeDiscrepanciesCsv(Writer out) throws IOException {
        out.write(Csv.line("order_id", "factory_id", "finding", "device_id"));
        for (OrderLine line : orders) {
            Map<String, List<String>> findings = Map.of(
                    "provisioned_not_shipped", line.unshippedDevices(),
                    "shipped_not_provisioned", line.shippedNotProvisioned(),
                    "duplicate_shipment", line.duplicateShipments(),
                    "revoked_but_shipped", line.revokedButShipped(),
                    "reprovisioned", line.reprovisioned());
            for (String finding : findings.keySet().stream().sorted().toList()) {
                for (String device : findings.get(finding)) {
                    out.write(Csv.line(line.orderId(), line.factoryId(), finding, device));
                }
            }
        }
    }

    static String reasons(Map<String, Long> byReason) {
        StringBuilder out = new StringBuilder();
        byReason.keySet().stream().sorted().forEach(reason -> {
            if (out.length() > 0) {
                out.append(' ');
            }
            out.append(reason).append('=').append(byReason.get(reason));
        });
        return out.toString();
    }
}
