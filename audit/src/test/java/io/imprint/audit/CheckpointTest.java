package io.imprint.audit;

import static io.imprint.testing.TestOperators.AUDITOR;
import static io.imprint.testing.TestOperators.as;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.imprint.contracts.Topics;
import io.imprint.contracts.events.CertIssuedV1;
import io.imprint.pki.Pem;
import io.imprint.pki.audit.AuditProofs;
import io.imprint.testing.ImprintTestInfrastructure;
import io.imprint.testing.Shell;
import io.imprint.testing.TestDatabase;
import io.imprint.testing.TestToken;
import io.imprint.testing.TestTopics;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.sql.Connection;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Checkpoints signed by the audit key in the real token, and proofs a third party checks with the audit
 * certificate alone: with our offline verifier (the {@code audit-proof} command) and, for the signature, openssl.
 */
@QuarkusTest
@QuarkusTestResource(
        value = ImprintTestInfrastructure.class,
        initArgs = {
            @ResourceArg(name = ImprintTestInfrastructure.DATABASE, value = "true"),
            @ResourceArg(name = ImprintTestInfrastructure.DATABASE_ROLE, value = "imprint_audit")
        })
class CheckpointTest {
    @Test
    void anIssuanceIsProvedInASignedCheckpointAndALaterCheckpointExtendsIt(@TempDir Path dir) throws Exception {
        CertIssuedV1 issued = AuditTests.logged();
        long first = as(AUDITOR)
                .post("/audit/checkpoints")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath()
                .getLong("treeSize");
        as(AUDITOR).post("/audit/checkpoints").then().body("treeSize", equalTo((int)
                first)); // nothing new: no new head

        String proof = as(AUDITOR)
                .get("/audit/proofs/inclusion?serial=" + issued.serialNumber())
                .then()
                .statusCode(200)
                .body("treeSize", equalTo((int) first))
                .extract()
                .asString();
        Files.writeString(dir.resolve("inclusion.json"), proof);
        Path certificate = TestToken.certificates().resolve("audit-log.pem");
        assertTrue(AuditTests.auditProof(
                        dir, "verify-inclusion", "--certificate", certificate.toString(), "--proof", "inclusion.json")
                .startsWith("OK: record "));

        // The checkpoint's signature, checked by openssl over the body as written.
        JsonPath inclusion = JsonPath.from(proof);
        Files.writeString(dir.resolve("checkpoint"), inclusion.getString("checkpoint"));
        Files.write(dir.resolve("checkpoint.sig"), Base64.getDecoder().decode(inclusion.getString("signature")));
        Shell.ok(dir, Map.of(), "sh", "-c", "openssl x509 -in " + certificate + " -pubkey -noout > audit.pub");
        assertTrue(Shell.ok(
                        dir,
                        Map.of(),
                        "openssl",
                        "dgst",
                        "-sha256",
                        "-verify",
                        "audit.pub",
                        "-signature",
                        "checkpoint.sig",
                        "checkpoint")
                .contains("Verified OK"));

        // Another device's entry, or the same entry at another place, is not what the checkpoint signs.
        X509Certificate audit = Pem.certificates(Files.readString(certificate)).get(0);
        byte[] entry = Base64.getDecoder().decode(inclusion.getString("entry"));
        List<byte[]> path = inclusion.getList("proof", String.class).stream()
                .map(HexFormat.of()::parseHex)
                .toList();
        byte[] signature = Base64.getDecoder().decode(inclusion.getString("signature"));
        long index = inclusion.getLong("leafIndex");
        assertNull(
                AuditProofs.inclusionProblem(audit, inclusion.getString("checkpoint"), signature, entry, index, path));
        byte[] other = new String(entry, StandardCharsets.UTF_8)
                .replace(issued.deviceId(), "dev-someone-else")
                .getBytes(StandardCharsets.UTF_8);
        assertNotNull(
                AuditProofs.inclusionProblem(audit, inclusion.getString("checkpoint"), signature, other, index, path));
        if (first > 1) {
            assertNotNull(AuditProofs.inclusionProblem(
                    audit, inclusion.getString("checkpoint"), signature, entry, (index + 1) % first, path));
        }

        // A record logged after the checkpoint is not covered by it until the next one, which extends the first.
        CertIssuedV1 later = AuditTests.logged();
        as(AUDITOR)
                .get("/audit/proofs/inclusion?serial=" + later.serialNumber())
                .then()
                .statusCode(404)
                .body("code", equalTo("NOT_YET_CHECKPOINTED"));
        long second = as(AUDITOR)
                .post("/audit/checkpoints")
                .then()
                .extract()
                .jsonPath()
                .getLong("treeSize");
        assertTrue(second > first);
        as(AUDITOR).get("/audit/checkpoints/latest").then().statusCode(200).body("treeSize", equalTo((int) second));
        Files.writeString(
                dir.resolve("consistency.json"),
                as(AUDITOR)
                        .get("/audit/proofs/consistency?first=" + first + "&second=" + second)
                        .then()
                        .statusCode(200)
                        .extract()
                        .asString());
        assertEquals(
                "OK: the log of " + second + " records extends the log of " + first
                        + ", both heads signed by the audit key",
                AuditTests.auditProof(
                        dir,
                        "verify-consistency",
                        "--certificate",
                        certificate.toString(),
                        "--proof",
                        "consistency.json"));
        as(AUDITOR)
                .get("/audit/proofs/consistency?first=" + second + "&second=" + first)
                .then()
                .statusCode(400)
                .body("code", equalTo("INVALID_RANGE"));
        as(AUDITOR).get("/audit/proofs/inclusion?serial=not-hex").then().statusCode(400);

        // Both checkpoints go out on the checkpoint topic, as CloudEvents from audit, once the broker has them.
        for (long size : List.of(first, second)) {
            ConsumerRecord<String, byte[]> event = TestTopics.await(
                            Topics.AUDIT_CHECKPOINT,
                            r -> TestTopics.value(r).contains("\"requestId\":\"audit-checkpoint-" + size + "\""),
                            1,
                            AuditTests.WAIT)
                    .get(0);
            assertEquals("imprint.audit.checkpoint", TestTopics.header(event, "ce_type"));
            assertEquals("imprint/audit", event.key());
        }
    }

    @Test
    void verifyNamesALogCutShortOrRewrittenUnderASignedCheckpoint() throws Exception {
        AuditTests.logged();
        long size = as(AUDITOR)
                .post("/audit/checkpoints")
                .then()
                .extract()
                .jsonPath()
                .getLong("treeSize");
        as(AUDITOR).get("/audit/verify").then().body("intact", equalTo(true));
        try (Connection db = TestDatabase.connect()) {
            // The last record removed: the chain that remains is whole, but the checkpoint covers one more.
            db.createStatement()
                    .execute("CREATE TEMP TABLE cut AS SELECT * FROM audit.audit_record" + " WHERE leaf_index = "
                            + (size - 1));
            db.createStatement().execute("DELETE FROM audit.audit_record WHERE leaf_index = " + (size - 1));
            try {
                as(AUDITOR)
                        .get("/audit/verify")
                        .then()
                        .body("intact", equalTo(false))
                        .body(
                                "problem",
                                equalTo("checkpoint " + size + ": it covers " + size + " records, the log holds "
                                        + (size - 1) + ": records were removed from its end"));
            } finally {
                db.createStatement().execute("INSERT INTO audit.audit_record SELECT * FROM cut");
            }
            // The signed head edited in its columns, as an owner covering a rewrite would.
            db.createStatement()
                    .execute("UPDATE audit.checkpoint SET root_hash = repeat('0', 64)" + " WHERE tree_size = " + size);
            try {
                as(AUDITOR)
                        .get("/audit/verify")
                        .then()
                        .body("intact", equalTo(false))
                        .body("problem", org.hamcrest.Matchers.startsWith("checkpoint " + size + ": its columns"));
            } finally {
                db.createStatement()
                        .execute("UPDATE audit.checkpoint SET root_hash = ("
                                + "SELECT encode(decode(split_part(body, E'\\n', 3), 'base64'), 'hex')) WHERE tree_size = "
                                + size);
            }
        }
        as(AUDITOR).get("/audit/verify").then().body("intact", equalTo(true));
    }
}
