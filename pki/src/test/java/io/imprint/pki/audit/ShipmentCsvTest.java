package io.imprint.pki.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.imprint.pki.audit.ShipmentCsv.InvalidShipmentFile;
import io.imprint.pki.audit.ShipmentCsv.Shipment;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class ShipmentCsvTest {
    @Test
    void groupsScannedLinesByShipmentAndReadsCounts() {
        List<Shipment> shipments = ShipmentCsv.parse(ShipmentCsv.HEADER
                + "\r\nDN-1,po-7,factory-a,2026-11-30,dev-1,\r\nDN-1,po-7,factory-a,2026-11-30,dev-2,\r\n"
                + "DN-2,po-7,factory-a,2026-11-30T14:00:00Z,,250\r\n\r\n");
        assertEquals(2, shipments.size());
        assertEquals(
                new Shipment(
                        "DN-1",
                        "po-7",
                        "factory-a",
                        Instant.parse("2026-11-30T00:00:00Z"),
                        2,
                        List.of("dev-1", "dev-2")),
                shipments.get(0));
        assertEquals(250, shipments.get(1).quantity());
        assertEquals(List.of(), shipments.get(1).deviceIds());
    }

    @Test
    void refusesTheWholeFileNamingTheFirstBadLine() {
        String h = ShipmentCsv.HEADER + "\n";
        assertRefused("line 1 must be the header", "order,devices\n");
        assertRefused("line 2 must give either device_id or quantity", h + "DN-1,po-7,f,2026-11-30,dev-1,3\n");
        assertRefused(
                "line 3 shipment DN-1 was given another order",
                h + "DN-1,po-7,f,2026-11-30,dev-1,\nDN-1,po-8,f,2026-11-30,dev-2,\n");
        assertRefused("line 3 shipment DN-1 was counted", h + "DN-1,po-7,f,2026-11-30,,2\nDN-1,po-7,f,2026-11-30,d,\n");
        assertRefused("line 2 quantity must be a positive", h + "DN-1,po-7,f,2026-11-30,,-2\n");
        assertRefused("line 2 shipped_at must be", h + "DN-1,po-7,f,yesterday,d,\n");
        assertRefused("line 2 has 7 fields", h + "DN-1,po-7,f,2026-11-30,\"a,b\",\n");
        assertRefused("line 2 device_id must be", h + "DN-1,po-7,f,2026-11-30,=cmd(),\n");
        assertRefused("lists no shipment", h);
    }

    private static void assertRefused(String expected, String csv) {
        InvalidShipmentFile e = assertThrows(InvalidShipmentFile.class, () -> ShipmentCsv.parse(csv));
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }
}
