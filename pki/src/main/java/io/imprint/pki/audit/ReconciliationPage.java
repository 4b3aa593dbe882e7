package io.imprint.pki.audit;

import io.imprint.pki.audit.ReconciliationReport.OrderLine;
import java.util.List;

/** The reconciliation as a page for people: totals, one row per order, and the devices each finding names. */
public final class ReconciliationPage {
    /** A page lists this many devices per finding; the CSV and JSON name them all. */
    static final int DEVICES_SHOWN = 200;

    private ReconciliationPage() {}

    public static String html(ReconciliationReport report) {
        StringBuilder out = new StringBuilder("""
                <!DOCTYPE html>
                <html lang="en"><head><meta charset="utf-8"><title>Imprint reconciliation</title>
                <style>body{font-family:sans-serif;margin:2em}table{border-collapse:collapse}\
                td,th{border:1px solid #999;padding:.3em .6em;text-align:right}td:first-child,th:first-child{text-align:left}\
                .bad{background:#fdd}.good{background:#dfd}</style></head><body>
                """);
        out.append("<h1>Reconciliation: ")
                .append(text(scope(report.factoryId(), "every factory")))
                .append(", ")
                .append(text(scope(report.orderId(), "every order")))
                .append("</h1>\n<p>Period: ")
                .append(text(
                        report.from() == null
                                ? "the log's beginning"
                                : report.from().toString()))
                .append(" to ")
                .append(text(report.to() == null ? "now" : report.to().toString()))
                .append(". Generated ")
                .append(text(report.generatedAt().toString()))
                .append(". ")
                .append(
                        report.reconciled()
                                ? "<strong class=\"good\">Every order reconciles.</strong>"
                                : "<strong class=\"bad\">Discrepancies found.</strong>")
                .append("</p>\n<table><tr><th>order</th><th>factory</th><th>ordered</th><th>provisioned</th>"
                        + "<th>shipped</th><th>over-provisioned</th><th>provisioned, not shipped</th>"
                        + "<th>shipped, not provisioned</th><th>duplicate shipments</th><th>revoked but shipped</th>"
                        + "<th>rejected attempts</th></tr>\n");
        for (OrderLine line : report.orders()) {
            out.append("<tr class=\"")
                    .append(line.reconciled() ? "good" : "bad")
                    .append("\"><td>")
                    .append(text(scope(line.orderId(), "(no order)")))
                    .append("</td><td>")
                    .append(text(line.factoryId()))
                    .append("</td><td>")
                    .append(line.ordered() == null ? "not logged" : line.ordered())
                    .append("</td><td>")
                    .append(line.provisioned())
                    .append("</td><td>")
                    .append(line.shipped())
                    .append("</td><td>")
                    .append(line.overProvisioned())
                    .append("</td><td>")
                    .append(line.provisionedNotShipped())
                    .append("</td><td>")
                    .append(line.shippedNotProvisioned().size())
                    .append("</td><td>")
                    .append(line.duplicateShipments().size())
                    .append("</td><td>")
                    .append(line.revokedButShipped().size())
                    .append("</td><td>")
                    .append(text(line.rejected() + " " + ReconciliationReport.reasons(line.rejectedByReason())))
                    .append("</td></tr>\n");
        }
        out.append("</table>\n");
        for (OrderLine line : report.orders()) {
            devices(out, line, "Provisioned, not shipped", line.unshippedDevices());
            devices(out, line, "Shipped, never provisioned", line.shippedNotProvisioned());
            devices(out, line, "Shipped more than once", line.duplicateShipments());
            devices(out, line, "Revoked but shipped", line.revokedButShipped());
            devices(out, line, "Provisioned more than once", line.reprovisioned());
        }
        return out.append("</body></html>\n").toString();
    }

    private static void devices(StringBuilder out, OrderLine line, String finding, List<String> devices) {
        if (devices.isEmpty()) {
            return;
        }
        out.append("<h2>")
                .append(text(scope(line.orderId(), "(no order)")))
                .append(": ")
                .append(finding)
                .append(" (")
                .append(devices.size())
                .append(")</h2>\n<p>");
        devices.stream()
                .limit(DEVICES_SHOWN)
                .forEach(device -> out.append("<code>").append(text(device)).append("</code> "));
        if (devices.size() > DEVICES_SHOWN) {
            out.append("and ").append(devices.size() - DEVICES_SHOWN).append(" more (the CSV names every one)");
        }
        out.append("</p>\n");
    }

    private static String scope(String value, String whenAll) {
        return value == null ? whenAll : value;
    }

    /** Ids come from factories and ERPs: everything shown is escaped. */
    static String text(String value) {
        if (value == null) {
            return "";
        }
        StringBuilder out = new StringBuilder(value.length());
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '&' -> out.append("&amp;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }
}
