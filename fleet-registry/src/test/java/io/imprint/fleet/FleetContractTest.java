package io.imprint.fleet;

import static io.imprint.testing.TestOperators.AUDITOR;
import static io.imprint.testing.TestOperators.as;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.imprint.contracts.EventCodec;
import io.imprint.contracts.Headers;
import io.imprint.contracts.RevocationReason;
import io.imprint.contracts.Topics;
import io.imprint.contracts.events.CertIssuedV1;
import io.imprint.contracts.events.CertRevokedV1;
import io.imprint.contracts.events.DeviceStateV1;
import io.imprint.contracts.events.ShipmentRecordedV1;
import io.imprint.testing.ImprintTestInfrastructure;
import io.imprint.testing.TestEvents;
import io.imprint.testing.TestTopics;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * The fleet contract on the real broker and PostgreSQL: one device and one {@code device.added} however often
 * its issuance is replayed; statuses and certificate history from issued, revoked and shipment events; a new
 * consumer of the compacted device-state topic rebuilds what the API serves; listings and counts.
 */
@QuarkusTest
@QuarkusTestResource(
        value = ImprintTestInfrastructure.class,
        initArgs = @ResourceArg(name = ImprintTestInfrastructure.DATABASE, value = "true"))
class FleetContractTest {
    private static final Duration WAIT = Duration.ofSeconds(30);

    @Test
    void theSameIssuanceTwiceIsOneDeviceAndOneDeviceAdded() {
        CertIssuedV1 issued = withFacts(TestEvents.issued(), "order-twice");
        TestEvents.publish(issued, issued.deviceId());
        TestEvents.publish(issued, issued.deviceId());
        // The same certificate under another request id, as a replaying producer would send it.
        TestEvents.publish(relabelledRequest(issued), issued.deviceId());
        CertIssuedV1 marker = TestEvents.issued();
        TestEvents.publish(marker, issued.deviceId()); // same partition, after the replays
        awaitState(marker.deviceId(), 1);
        List<ConsumerRecord<String, byte[]>> added =
                TestTopics.await(Topics.DEVICE_ADDED, r -> issued.deviceId().equals(r.key()), 2, Duration.ofSeconds(3));
        assertEquals(1, added.size(), "device.added once per device");
        List<DeviceStateV1> states = states(issued.deviceId(), Duration.ofSeconds(2));
        assertEquals(1, states.size(), "a replay changes nothing, so announces nothing");
        DeviceStateV1 state = states.get(0);
        assertEquals(1, state.version());
        assertEquals(DeviceStateV1.PROVISIONED, state.status());
        assertEquals("sensor-x", state.productModel());
        assertEquals("ATECC608A", state.secureElementType());
        as(AUDITOR)
                .get("/devices/" + issued.deviceId())
                .then()
                .statusCode(200)
                .body("status", equalTo("provisioned"))
                .body("version", equalTo(1))
                .body("productModel", equalTo("sensor-x"))
                .body("certificates.size()", equalTo(1));
    }

    @Test
    void statusesAndHistoryFollowReprovisioningRevocationAndShipment() {
        String device = "dev-" + UUID.randomUUID();
        String order = "order-" + UUID.randomUUID();
        CertIssuedV1 first =
                withFacts(TestEvents.issued("issuing-ca", device, Instant.now().minusSeconds(60)), order);
        CertIssuedV1 second = withFacts(TestEvents.issued("issuing-ca", device, Instant.now()), order);
        TestEvents.publish(first, device);
        awaitState(device, 1);
        TestEvents.publish(
                new ShipmentRecordedV1(
                        "DN-" + UUID.randomUUID(), order, "factory-a", 1, Instant.now(), List.of(device)),
                order);
        awaitState(device, 2);
        TestEvents.publish(second, device);
        awaitState(device, 3);
        TestEvents.publishSigned(
                new CertRevokedV1(
                        UUID.randomUUID().toString(),
                        first.serialNumber(),
                        first.issuer(),
                        device,
                        RevocationReason.SUPERSEDED,
                        Instant.now(),
                        "operator"),
                device,
                "revocation");
        awaitState(device, 4);
        JsonPath view = as(AUDITOR)
                .get("/devices/" + device)
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
        assertEquals("shipped", view.getString("status"), "a superseded certificate's revocation leaves it shipped");
        assertEquals(second.serialNumber(), view.getString("serialNumber"));
        assertEquals(List.of(second.serialNumber(), first.serialNumber()), view.getList("certificates.serialNumber"));
        assertEquals(List.of("current", "revoked"), view.getList("certificates.status"));
        as(AUDITOR)
                .get("/devices/by-serial/" + first.serialNumber())
                .then()
                .statusCode(200)
                .body("deviceId", equalTo(device));

        TestEvents.publishSigned(
                new CertRevokedV1(
                        UUID.randomUUID().toString(),
                        second.serialNumber(),
                        second.issuer(),
                        device,
                        RevocationReason.KEY_COMPROMISE,
                        Instant.now(),
                        "operator"),
                device,
                "revocation");
        DeviceStateV1 last = awaitState(device, 5);
        assertEquals(DeviceStateV1.REVOKED, last.status());
        assertNotNull(last.revokedAt());
        assertNotNull(last.shippedAt());
        List<DeviceStateV1> states = states(device, Duration.ofSeconds(1));
        assertEquals(
                List.of(1L, 2L, 3L, 4L, 5L),
                states.stream().map(DeviceStateV1::version).toList(),
                "in order");
        assertEquals(
                "imprint.device.state",
                TestTopics.header(
                        TestTopics.await(Topics.DEVICE_STATE, r -> device.equals(r.key()), 1, WAIT)
                                .get(0),
                        Headers.CE_TYPE));

        as(AUDITOR).get("/devices?order=" + order).then().statusCode(200).body("devices.deviceId", hasItems(device));
        as(AUDITOR)
                .get("/devices?order=" + order + "&status=revoked")
                .then()
                .body("devices.size()", equalTo(1))
                .body("next", equalTo(null));
        as(AUDITOR).get("/devices?order=" + order + "&status=shipped").then().body("devices.size()", equalTo(0));
        as(AUDITOR).get("/devices?status=lost").then().statusCode(400).body("code", equalTo("INVALID_QUERY"));
        as(AUDITOR).get("/devices/by-serial/xyz").then().statusCode(400).body("code", equalTo("INVALID_SERIAL"));
        // The API is described by the service itself.
        given().get("/q/openapi?format=json")
                .then()
                .statusCode(200)
                .body("paths.keySet()", hasItems("/devices", "/devices/{deviceId}", "/devices/by-serial/{serial}"));
        JsonPath stats = as(AUDITOR)
                .get("/devices/stats")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
        assertEquals(
                stats.getLong("total"),
                stats.getLong("provisioned") + stats.getLong("shipped") + stats.getLong("revoked"));
        assertTrue(stats.getLong("revoked") >= 1);
    }

    @Test
    void aShipmentBeforeTheCertificateStillCountsAndPagingWalksEveryDevice() {
        String order = "order-" + UUID.randomUUID();
        List<CertIssuedV1> devices = List.of(
                withFacts(TestEvents.issued(), order),
                withFacts(TestEvents.issued(), order),
                withFacts(TestEvents.issued(), order));
        // A device already registered rides in the same shipment: once it shows shipped, the shipment has been
        // processed, before the certificate of the other device it names exists.
        CertIssuedV1 marker = withFacts(TestEvents.issued(), "order-marker-" + UUID.randomUUID());
        TestEvents.publish(marker, marker.deviceId());
        awaitState(marker.deviceId(), 1);
        TestEvents.publish(
                new ShipmentRecordedV1(
                        "DN-" + UUID.randomUUID(),
                        order,
                        "factory-a",
                        2,
                        Instant.now(),
                        List.of(marker.deviceId(), devices.get(0).deviceId())),
                order);
        awaitState(marker.deviceId(), 2);
        for (CertIssuedV1 d : devices) {
            TestEvents.publish(d, d.deviceId());
        }
        Awaitility.await()
                .atMost(WAIT)
                .untilAsserted(
                        () -> as(AUDITOR).get("/devices?order=" + order).then().body("devices.size()", equalTo(3)));
        as(AUDITOR).get("/devices/" + devices.get(0).deviceId()).then().body("status", equalTo("shipped"));
        as(AUDITOR).get("/devices/" + devices.get(1).deviceId()).then().body("status", equalTo("provisioned"));
        String first = as(AUDITOR)
                .get("/devices?order=" + order + "&limit=2")
                .then()
                .body("devices.size()", equalTo(2))
                .extract()
                .jsonPath()
                .getString("next");
        assertNotNull(first);
        as(AUDITOR)
                .get("/devices?order=" + order + "&limit=2&after=" + first)
                .then()
                .body("devices.size()", equalTo(1))
                .body("next", equalTo(null));
    }

    @Test
    void aNewConsumerRebuildsTheFleetFromTheCompactedTopicAndItMatchesTheApi() {
        CertIssuedV1 mine = TestEvents.issued();
        TestEvents.publish(mine, mine.deviceId());
        awaitState(mine.deviceId(), 1);
        // Read as a brand-new fleet platform would: everything, from the beginning, the highest version per device.
        Map<String, DeviceStateV1> fleet = new HashMap<>();
        for (ConsumerRecord<String, byte[]> r :
                TestTopics.await(Topics.DEVICE_STATE, x -> true, Integer.MAX_VALUE, Duration.ofSeconds(3))) {
            DeviceStateV1 state = EventCodec.decode(r.value(), DeviceStateV1.class);
            assertEquals(r.key(), state.deviceId());
            fleet.merge(state.deviceId(), state, (a, b) -> a.version() >= b.version() ? a : b);
        }
        assertTrue(fleet.containsKey(mine.deviceId()));
        assertFalse(fleet.isEmpty());
        for (DeviceStateV1 state : fleet.values()) {
            JsonPath view = as(AUDITOR)
                    .get("/devices/" + state.deviceId())
                    .then()
                    .statusCode(200)
                    .extract()
                    .jsonPath();
            assertEquals(view.getLong("version"), state.version(), state.deviceId());
            assertEquals(view.getString("status"), state.status(), state.deviceId());
            assertEquals(view.getString("serialNumber"), state.serialNumber(), state.deviceId());
            assertEquals(
                    view.getList("certificates.serialNumber"),
                    state.certificates().stream()
                            .map(DeviceStateV1.DeviceCertificate::serialNumber)
                            .toList());
        }
    }

    private static DeviceStateV1 awaitState(String device, long version) {
        return Awaitility.await()
                .atMost(WAIT)
                .until(
                        () -> states(device, Duration.ofMillis(300)).stream()
                                .filter(s -> s.version() == version)
                                .findFirst()
                                .orElse(null),
                        s -> s != null);
    }

    private static List<DeviceStateV1> states(String device, Duration wait) {
        return TestTopics.await(Topics.DEVICE_STATE, r -> device.equals(r.key()), Integer.MAX_VALUE, wait).stream()
                .map(r -> EventCodec.decode(r.value(), DeviceStateV1.class))
                .toList();
    }

    private static CertIssuedV1 withFacts(CertIssuedV1 e, String order) {
        return TestEvents.inOrder(e, e.factoryId(), order, "sensor-x", "ATECC608A");
    }

    private static CertIssuedV1 relabelledRequest(CertIssuedV1 e) {
        return new CertIssuedV1(
                UUID.randomUUID().toString(),
                e.deviceId(),
                e.factoryId(),
                e.stationId(),
                e.orderId(),
                e.serialNumber(),
                e.issuer(),
                e.notBefore(),
                e.notAfter(),
                e.certificate(),
                e.chain(),
                e.issuedAt(),
                e.productModel(),
                e.secureElementType());
    }
}
