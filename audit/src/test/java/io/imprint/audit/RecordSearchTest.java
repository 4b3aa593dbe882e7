package io.imprint.audit;

import static io.imprint.testing.TestOperators.AUDITOR;
import static io.imprint.testing.TestOperators.REVOKER;
import static io.imprint.testing.TestOperators.as;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.imprint.contracts.events.CertIssuedV1;
import io.imprint.testing.ImprintTestInfrastructure;
import io.imprint.testing.TestToken;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Search with a cursor, streaming exports, and an export checked offline against a signed checkpoint. */
@QuarkusTest
@QuarkusTestResource(
        value = ImprintTestInfrastructure.class,
        initArgs = {
            @ResourceArg(name = ImprintTestInfrastructure.DATABASE, value = "true"),
            @ResourceArg(name = ImprintTestInfrastructure.DATABASE_ROLE, value = "imprint_audit")
        })
class RecordSearchTest {
    @Test
    void findsByEachFilterAndPagesThroughTheWholeLogOnce() {
        CertIssuedV1 issued = AuditTests.logged();
        // The log reveals production: only an auditor reads it, never an anonymous caller or another role.
        for (String path :
                List.of("/audit/records?serial=" + issued.serialNumber(), "/audit/export.csv", "/audit/verify")) {
            given().get(path).then().statusCode(401).body("code", equalTo("UNAUTHORIZED"));
            as(REVOKER).get(path).then().statusCode(403).body("code", equalTo("FORBIDDEN"));
        }
        as(AUDITOR)
                .get("/audit/records?serial=" + issued.serialNumber())
                .then()
                .statusCode(200)
                .body("records", hasSize(1))
                .body("records[0].deviceId", equalTo(issued.deviceId()))
                .body("records[0].eventType", equalTo("imprint.cert.issued"));
        as(AUDITOR)
                .get("/audit/records?device=" + issued.deviceId() + "&type=imprint.cert.issued&factory=factory-a"
                        + "&station=station-1&order=order-1")
                .then()
                .body("records", hasSize(1));
        as(AUDITOR)
                .get("/audit/records?serial=" + issued.serialNumber() + "&from=2999-01-01T00:00:00Z")
                .then()
                .body("records", hasSize(0))
                .body("next", equalTo(null));

        long total =
                as(AUDITOR).get("/audit/verify").then().extract().jsonPath().getLong("records");
        List<Long> seen = new ArrayList<>();
        String next = null;
        do {
            JsonPath page = as(AUDITOR)
                    .get("/audit/records?limit=2" + (next == null ? "" : "&after=" + next))
                    .then()
                    .statusCode(200)
                    .extract()
                    .jsonPath();
            seen.addAll(page.getList("records.leafIndex", Long.class));
            next = page.getString("next");
        } while (next != null);
        assertTrue(seen.size() >= total, "every record once: " + seen.size() + " of " + total);
        for (int i = 1; i < seen.size(); i++) {
            assertEquals(seen.get(i - 1) + 1, seen.get(i), "in log order, none twice, none skipped");
        }

        as(AUDITOR).get("/audit/records?from=yesterday").then().statusCode(400).body("code", equalTo("INVALID_QUERY"));
        as(AUDITOR).get("/audit/records?after=x").then().statusCode(400).body("code", equalTo("INVALID_QUERY"));
        as(AUDITOR).get("/audit/export.csv?to=soon").then().statusCode(400).body("code", equalTo("INVALID_QUERY"));
    }

    @Test
    void aWholeExportHoldsToTheSignedCheckpointOfflineAndAnEditedOneDoesNot(@TempDir Path dir) throws Exception {
        CertIssuedV1 issued = AuditTests.logged();
        as(AUDITOR).post("/audit/checkpoints").then().statusCode(200);
        Files.writeString(
                dir.resolve("checkpoint.json"),
                as(AUDITOR).get("/audit/checkpoints/latest").asString());
        String export = as(AUDITOR)
                .get("/audit/export.jsonl")
                .then()
                .statusCode(200)
                .extract()
                .asString();
        Files.writeString(dir.resolve("export.jsonl"), export);
        String csv = as(AUDITOR)
                .get("/audit/export.csv?serial=" + issued.serialNumber())
                .then()
                .statusCode(200)
                .extract()
                .asString();
        assertEquals(2, csv.lines().count(), csv);
        assertTrue(csv.startsWith("leafIndex,eventType,") && csv.contains(issued.serialNumber()), csv);

        Path certificate = TestToken.certificates().resolve("audit-log.pem");
        String verdict = verifyLog(dir, certificate, "export.jsonl");
        assertTrue(verdict.startsWith("OK: " + export.lines().count() + " records chained"), verdict);

        Files.writeString(dir.resolve("edited.jsonl"), export.replace(issued.deviceId(), "dev-someone-else"));
        assertTrue(verifyLog(dir, certificate, "edited.jsonl").startsWith("FAILED: record "));
        List<String> lines = export.lines().toList();
        Files.writeString(dir.resolve("cut.jsonl"), String.join("\n", lines.subList(0, lines.size() - 1)));
        assertTrue(verifyLog(dir, certificate, "cut.jsonl").contains("records were removed from its end"));
    }

    private static String verifyLog(Path dir, Path certificate, String log) {
        return AuditTests.auditProof(
                dir,
                "verify-log",
                "--certificate",
                certificate.toString(),
                "--log",
                log,
                "--checkpoint",
                "checkpoint.json");
    }
}
