package io.imprint.audit;

import static io.imprint.testing.TestOperators.AUDITOR;
import static io.imprint.testing.TestOperators.as;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.imprint.contracts.EventCodec;
import io.imprint.contracts.Topics;
import io.imprint.contracts.events.CeremonySealedV1;
import io.imprint.pki.ceremony.CaCeremony;
import io.imprint.pki.ceremony.CeremonyTranscript;
import io.imprint.pki.ceremony.KeyAliases;
import io.imprint.pki.keys.Pkcs11KeyBackend;
import io.imprint.pki.station.StationIdentity;
import io.imprint.testing.ImprintTestInfrastructure;
import io.imprint.testing.Shell;
import io.imprint.testing.TestOpenssl;
import io.imprint.testing.TestToken;
import io.imprint.testing.TestTopics;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * CA ceremonies reach the log: a station enrolled in the real token, its transcript sealed by the station CA,
 * filed by an operator, logged once and found by its station, published whole so openssl re-checks its seal;
 * an edited transcript is refused.
 */
@QuarkusTest
@QuarkusTestResource(
        value = ImprintTestInfrastructure.class,
        initArgs = {
            @ResourceArg(name = ImprintTestInfrastructure.DATABASE, value = "true"),
            @ResourceArg(name = ImprintTestInfrastructure.DATABASE_ROLE, value = "imprint_audit")
        })
class CeremonyLogTest {

    @Test
    void aSealedStationEnrolmentIsLoggedOncePublishedWholeAndAnEditedOneRefused(@TempDir Path dir) throws Exception {
        String station = "st-" + Long.toString(System.nanoTime(), 36);
        Path text = enrolStation("factory-ceremonies", station, dir);
        Path edited = dir.resolve("edited.txt");
        Files.writeString(edited, Files.readString(text).replace(station, station + "x"));

        given().multiPart("transcript", text.toFile())
                .multiPart("signature", p7s(text).toFile())
                .post("/audit/ceremonies")
                .then()
                .statusCode(401);
        String requestId = file(text, p7s(text))
                .statusCode(201)
                .body("command", equalTo("enrol-station"))
                .body("stations", equalTo(List.of("factory-ceremonies/" + station)))
                .body("sealedBy", containsString("Station CA"))
                .body("logged", equalTo(true))
                .extract()
                .path("requestId");
        file(text, p7s(text)).statusCode(200).body("logged", equalTo(false));
        file(edited, p7s(text))
                .statusCode(400)
                .body("code", equalTo("INVALID_CEREMONY"))
                .body("message", containsString("does not verify"));
        as(AUDITOR)
                .multiPart("transcript", text.toFile())
                .post("/audit/ceremonies")
                .then()
                .statusCode(400)
                .body("code", equalTo("INVALID_CEREMONY"));
        as(AUDITOR)
                .get("/audit/records?station=" + station)
                .then()
                .statusCode(200)
                .body("records.eventType", equalTo(List.of("imprint.ceremony.sealed")))
                .body("records[0].factoryId", equalTo("factory-ceremonies"));

        List<ConsumerRecord<String, byte[]>> published = TestTopics.await(
                Topics.CEREMONY_SEALED, r -> TestTopics.value(r).contains(requestId), 1, AuditTests.WAIT);
        assertEquals(1, published.size());
        CeremonySealedV1 ceremony = EventCodec.decode(published.get(0).value(), CeremonySealedV1.class);
        Files.writeString(dir.resolve("published.txt"), ceremony.transcript());
        Files.write(dir.resolve("published.p7s"), Base64.getDecoder().decode(ceremony.signature()));
        Shell.Result check = TestOpenssl.cmsVerify(
                dir,
                dir.resolve("published.p7s"),
                dir.resolve("published.txt"),
                TestToken.certificates().resolve("infrastructure-root-ca.pem"));
        assertEquals(0, check.exit(), check.output());
        assertTrue(check.output().contains("Verification successful"), check.output());
    }

    @Test
    void theHierarchysOwnCeremonySealedByTheDeviceRootIsLogged() throws Exception {
        Path transcripts = TestToken.certificates().resolve("transcripts");
        Path init;
        try (var files = Files.list(transcripts)) {
            init = files.filter(f -> f.getFileName().toString().endsWith("-init.txt"))
                    .sorted()
                    .reduce((first, second) -> second)
                    .orElseThrow();
        }
        int status = file(init, p7s(init))
                .body("command", equalTo("init"))
                .body("sealedBy", containsString("Device Root CA"))
                .extract()
                .statusCode();
        // The test database outlives a run: filed by an earlier one, it is logged already.
        assertTrue(status == 201 || status == 200, "status " + status);
        as(AUDITOR)
                .get("/audit/records?type=imprint.ceremony.sealed&limit=1000")
                .then()
                .statusCode(200)
                .body("records.eventType", hasItem("imprint.ceremony.sealed"));
    }

    /** Enrols a station in the test token as the ceremony command does; returns its sealed transcript. */
    private static Path enrolStation(String factory, String station, Path dir) throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        CeremonyTranscript transcript = new CeremonyTranscript(line -> {});
        Pkcs11KeyBackend token = TestToken.token();
        transcript.accept("command enrol-station on " + token.description());
        new CaCeremony(token, "Imprint Test", transcript)
                .enrolStation(
                        new StationIdentity(factory, station),
                        generator.generateKeyPair().getPublic(),
                        Duration.ofHours(8),
                        Instant.now());
        return transcript.seal(token.key(KeyAliases.STATION_CA), dir, "enrol-station", Instant.now());
    }

    private static ValidatableResponse file(Path transcript, Path signature) {
        return as(AUDITOR)
                .multiPart("transcript", transcript.toFile())
                .multiPart("signature", signature.toFile())
                .post("/audit/ceremonies")
                .then();
    }

    private static Path p7s(Path text) {
        return text.resolveSibling(text.getFileName().toString().replace(".txt", ".p7s"));
    }
}
