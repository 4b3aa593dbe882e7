package io.imprint.pki.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.imprint.pki.audit.ReconciliationReport.OrderLine;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ReconciliationTest {
    private static final Instant NOW = Instant.parse("2026-11-30T12:00:00Z");

    @Test
    void anOrderProvisionedAndShippedExactlyReconciles() {
        Reconciliation r = new Reconciliation();
        r.ordered("po-1", "f-1", 3);
        for (int i = 1; i <= 3; i++) {
            r.issued("po-1", "f-1", "d-" + i, "serial-" + i);
        }
        r.shipped("po-1", "f-1", 2, List.of("d-1", "d-2"));
        r.shipped("po-1", "f-1", 1, List.of("d-3"));
        ReconciliationReport report = r.report("f-1", null, null, null, NOW);
        OrderLine line = report.orders().get(0);
        assertEquals(3L, line.ordered());
        assertEquals(3, line.provisioned());
        assertEquals(3, line.shipped());
        assertTrue(line.reconciled());
        assertTrue(report.reconciled());
    }

    @Test
    void namesEveryMismatchedDevice() {
        Reconciliation r = new Reconciliation();
        r.ordered("po-1", "f-1", 5);
        for (int i = 1; i <= 5; i++) {
            r.issued("po-1", "f-1", "d-" + i, "serial-" + i);
        }
        r.revoked("serial-4");
        // d-5 is re-provisioned; its first certificate is revoked, its current one is not.
        r.issued("po-1", "f-1", "d-5", "serial-5b");
        r.revoked("serial-5");
        r.rejected("po-1", "f-1", "QUOTA_EXHAUSTED");
        r.rejected("po-1", "f-1", "QUOTA_EXHAUSTED");
        r.rejected("po-1", "f-1", "ATTESTATION_FAILED");
        r.rejected(null, "f-1", "UNKNOWN_ORDER");
        // d-1 missing; d-2 shipped twice; d-4 revoked but shipped; x-9 never provisioned.
        r.shipped("po-1", "f-1", 3, List.of("d-2", "d-3", "d-4"));
        r.shipped("po-1", "f-1", 3, List.of("d-2", "d-5", "x-9"));

        ReconciliationReport report = r.report("f-1", null, null, null, NOW);
        OrderLine line = report.orders().stream()
                .filter(l -> "po-1".equals(l.orderId()))
                .findFirst()
                .orElseThrow();
        assertEquals(5, line.provisioned());
        assertEquals(6, line.shipped());
        assertEquals(1, line.provisionedNotShipped());
        assertEquals(List.of("d-1"), line.unshippedDevices());
        assertEquals(List.of("x-9"), line.shippedNotProvisioned());
        assertEquals(List.of("d-2"), line.duplicateShipments());
        assertEquals(List.of("d-4"), line.revokedButShipped());
        assertEquals(List.of("d-5"), line.reprovisioned());
        assertEquals(Map.of("QUOTA_EXHAUSTED", 2L, "ATTESTATION_FAILED", 1L), line.rejectedByReason());
        assertFalse(line.reconciled());
        OrderLine noOrder = report.orders().get(0);
        assertNull(noOrder.orderId());
        assertEquals(Map.of("UNKNOWN_ORDER", 1L), noOrder.rejectedByReason());
        assertFalse(report.reconciled());
        assertEquals(4, report.totals().rejected());

        String discrepancies = report.discrepanciesCsv();
        assertTrue(discrepancies.contains("po-1,f-1,provisioned_not_shipped,d-1\n"), discrepancies);
        assertTrue(discrepancies.contains("po-1,f-1,shipped_not_provisioned,x-9\n"), discrepancies);
        assertTrue(discrepancies.contains("po-1,f-1,duplicate_shipment,d-2\n"), discrepancies);
        assertTrue(discrepancies.contains("po-1,f-1,revoked_but_shipped,d-4\n"), discrepancies);
        assertTrue(
                report.csv().contains("po-1,f-1,5,5,6,0,1,1,1,1,1,3,ATTESTATION_FAILED=1 QUOTA_EXHAUSTED=2,false\n"),
                report.csv());
    }

    @Test
    void shipmentsByCountCoverDevicesWithoutNamingThem() {
        Reconciliation r = new Reconciliation();
        r.ordered("po-2", "f-1", 4);
        for (int i = 1; i <= 4; i++) {
            r.issued("po-2", "f-1", "d-" + i, "serial-" + i);
        }
        r.shipped("po-2", "f-1", 3, List.of());
        OrderLine line = r.report(null, "po-2", null, null, NOW).orders().get(0);
        assertEquals(3, line.shipped());
        assertEquals(1, line.provisionedNotShipped());
        assertEquals(List.of(), line.unshippedDevices(), "which one is left no record says");
        assertFalse(line.reconciled());
    }

    @Test
    void anOrderNobodyLoggedOrProvisioningBeyondItsQuantityIsFlagged() {
        Reconciliation r = new Reconciliation();
        r.issued("po-ghost", "f-1", "d-1", "serial-1");
        r.shipped("po-ghost", "f-1", 1, List.of("d-1"));
        r.ordered("po-3", "f-1", 1);
        r.issued("po-3", "f-1", "d-2", "serial-2");
        r.issued("po-3", "f-1", "d-3", "serial-3");
        r.shipped("po-3", "f-1", 2, List.of("d-2", "d-3"));
        List<OrderLine> lines = r.report("f-1", null, null, null, NOW).orders();
        assertEquals(
                List.of("po-3", "po-ghost"),
                lines.stream().map(OrderLine::orderId).toList());
        OrderLine ghost = lines.get(1);
        assertNull(ghost.ordered());
        assertFalse(ghost.reconciled());
        OrderLine over = lines.get(0);
        assertEquals(1, over.overProvisioned());
        assertFalse(over.reconciled());
    }

    @Test
    void thePageAndTheCsvDisarmWhatFactoriesAndErpsWrote() {
        Reconciliation r = new Reconciliation();
        r.ordered("po-4", "f-1", 1);
        r.shipped("po-4", "f-1", 1, List.of("<script>alert(1)</script>"));
        r.shipped("po-4", "f-1", 1, List.of("=HYPERLINK(\"http://x\")"));
        ReconciliationReport report = r.report("f-1", "po-4", null, null, NOW);
        String page = ReconciliationPage.html(report);
        assertFalse(page.contains("<script>"), page);
        assertTrue(page.contains("&lt;script&gt;alert(1)&lt;/script&gt;"), page);
        String csv = report.discrepanciesCsv();
        assertTrue(csv.contains("\"'=HYPERLINK(\"\"http://x\"\")\""), csv);
    }
}
