package io.imprint.pki.audit;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Shipments as a warehouse exports them, one line per device scanned or one line per shipment with a count:
 *
 * <pre>
 * shipment_id,order_id,factory_id,shipped_at,device_id,quantity
 * DN-1001,po-7,factory-a,2026-11-30,dev-0001,
 * DN-1002,po-7,factory-a,2026-11-30T14:00:00Z,,250
 * </pre>
 *
 * Lines of one shipment must agree on order, factory and date, and a shipment is either scanned or counted.
 * The whole file is read before anything is recorded; the first bad line refuses it, naming the line.
 */
public final class ShipmentCsv {
    static final String HEADER = "shipment_id,order_id,factory_id,shipped_at,device_id,quantity";
    private static final String ID = "[A-Za-z0-9][A-Za-z0-9._:/#-]{0,127}";

    private ShipmentCsv() {}

    /** One shipment of the file; {@code deviceIds} is empty for a counted one. */
    public record Shipment(
            String shipmentId,
            String orderId,
            String factoryId,
            Instant shippedAt,
            long quantity,
            List<String> deviceIds) {}

    /** A file that cannot be recorded, and why, naming the line. */
    public static final class InvalidShipmentFile extends IllegalArgumentException {
        private static final long serialVersionUID = 1L;

        InvalidShipmentFile(String message) {
            super(message);
        }
    }

    public static List<Shipment> parse(String text) {
        String[] lines = text.replace("\r\n", "\n").split("\n", -1);
        if (lines.length == 0 || !lines[0].strip().equals(HEADER)) {
            throw new InvalidShipmentFile("line 1 must be the header " + HEADER);
        }
        Map<String, Draft> shipments = new LinkedHashMap<>();
        for (int i = 1; i < lines.length; i++) {
            if (!lines[i].isBlank()) {
                read(lines[i], i + 1, shipments);
            }
        }
        if (shipments.isEmpty()) {
            throw new InvalidShipmentFile("the file lists no shipment");
        }
        return shipments.values().stream().map(Draft::shipment).toList();
    }

    private static void read(String line, int number, Map<String, Draft> shipments) {
        String[] f = line.split(",", -1);
        if (f.length != 6) {
            throw invalid(number, "has " + f.length + " fields, not 6 (ids may not contain commas or quotes)");
        }
        String shipment = id(f[0], "shipment_id", number);
        String order = id(f[1], "order_id", number);
        String factory = id(f[2], "factory_id", number);
        Instant at = instant(f[3].strip(), number);
        String device = f[4].strip();
        String quantity = f[5].strip();
        if (device.isEmpty() == quantity.isEmpty()) {
            throw invalid(number, "must give either device_id or quantity");
        }
        Draft draft = shipments.computeIfAbsent(shipment, k -> new Draft(shipment, order, factory, at));
        if (!draft.orderId.equals(order) || !draft.factoryId.equals(factory) || !draft.shippedAt.equals(at)) {
            throw invalid(number, "shipment " + shipment + " was given another order, factory or date before");
        }
        if (device.isEmpty()) {
            if (draft.counted != null || !draft.devices.isEmpty()) {
                throw invalid(number, "shipment " + shipment + " is counted once, and not also scanned");
            }
            draft.counted = count(quantity, number);
        } else {
            if (draft.counted != null) {
                throw invalid(number, "shipment " + shipment + " was counted, and cannot also list devices");
            }
            draft.devices.add(id(device, "device_id", number));
        }
    }

    private static String id(String value, String field, int line) {
        String id = value.strip();
        if (!id.matches(ID)) {
            throw invalid(
                    line, field + " must be 1 to 128 letters, digits or ._:/#- (starting with a letter or digit)");
        }
        return id;
    }

    private static Instant instant(String value, int line) {
        try {
            return value.length() == 10
                    ? LocalDate.parse(value).atStartOfDay(ZoneOffset.UTC).toInstant()
                    : Instant.parse(value);
        } catch (DateTimeParseException e) {
            throw invalid(line, "shipped_at must be a date (2026-11-30) or an instant (2026-11-30T14:00:00Z)");
        }
    }

    private static long count(String value, int line) {
        try {
            long n = Long.parseLong(value);
            if (n > 0) {
                return n;
            }
        } catch (NumberFormatException e) {
            // refused below
        }
        throw invalid(line, "quantity must be a positive whole number");
    }

    private static InvalidShipmentFile invalid(int line, String problem) {
        return new InvalidShipmentFile("line " + line + " " + problem);
    }

    private static final class Draft {
        final String shipmentId;
        final String orderId;
        final String factoryId;
        final Instant shippedAt;
        final List<String> devices = new ArrayList<>();
        Long counted;

        Draft(String shipmentId, String orderId, String factoryId, Instant shippedAt) {
            this.shipmentId = shipmentId;
            this.orderId = orderId;
            this.factoryId = factoryId;
            this.shippedAt = shippedAt;
        }

        Shipment shipment() {
            long quantity = Objects.requireNonNullElse(counted, (long) devices.size());
            return new Shipment(shipmentId, orderId, factoryId, shippedAt, quantity, List.copyOf(devices));
        }
    }
}
