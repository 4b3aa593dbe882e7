package io.imprint.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.imprint.contracts.EventCodec;
import io.imprint.contracts.RequestTraceIds;
import io.imprint.contracts.Topics;
import io.imprint.contracts.events.CertRevokedV1;
import io.imprint.gateway.DeviceResult;
import io.imprint.gateway.SecureElementSimulator;
import io.imprint.gateway.StationClient;
import io.imprint.gateway.StationFiles;
import io.imprint.pki.Pem;
import io.imprint.pki.Serials;
import io.imprint.testing.ProjectPaths;
import io.imprint.testing.Shell;
import io.imprint.testing.TestDatabase;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.function.LongSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The offline factory (deploy/factory-edge) on two real brokers: the factory provisions with its own csr-intake,
 * signer and token, whose issuing CA headquarters' root certified from the factory's request; MirrorMaker 2 carries its certificates to headquarters' broker, where audit and fleet-registry
 * keep them. The link is cut (the mirror killed, as a lost line would leave it: nothing flushed), the factory keeps
 * provisioning, and once the link is back headquarters holds every certificate exactly once. A revocation an operator
 * asks for at headquarters while the link is down reaches the factory's OCSP once it returns.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FactoryEdgeSystemTest {
    private static final int BATCH = 20;
    private static final String FACTORY = "factory-edge";
    private static final String STATION = "station-edge";
    private static final String DB_PREFIX = "imprint_edge_test";
    private static final int FACTORY_KAFKA = 29392;
    private static final int FACTORY_PORTS = 18380;
    private static final int HQ_KAFKA = 29492;
    private static final int HQ_PORTS = 18480;
    private static final Duration ACROSS = Duration.ofMinutes(2);

    /** Both sites' services export their traces here (RequestTraces). */
    private final OtlpReceiver traces = receiver();

    private final Map<String, String> edge = edgeEnvironment();
    private Suite factory;
    private Suite hq;
    private HttpClient hqOperator;
    private final ObjectMapper json = new ObjectMapper();
    private final List<DeviceResult> provisioned = new ArrayList<>();
    private String order;

    private static OtlpReceiver receiver() {
        try {
            return new OtlpReceiver();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Map<String, String> edgeEnvironment() {
        Map<String, String> env = new HashMap<>(traces.environment());
        env.put("IMPRINT_WORK", ProjectPaths.root().resolve("work/factory-edge").toString());
        env.put("IMPRINT_FACTORY_KAFKA_PORT", String.valueOf(FACTORY_KAFKA));
        env.put("IMPRINT_FACTORY_PORT_BASE", String.valueOf(FACTORY_PORTS));
        env.put("IMPRINT_HQ_KAFKA_PORT", String.valueOf(HQ_KAFKA));
        env.put("IMPRINT_HQ_PORT_BASE", String.valueOf(HQ_PORTS));
        env.put("IMPRINT_EDGE_DB_PREFIX", DB_PREFIX);
        env.put("IMPRINT_FACTORY_ID", FACTORY);
        return Map.copyOf(env);
    }

    @BeforeAll
    void startBothSitesAndTheLink() throws IOException, InterruptedException {
        Path root = ProjectPaths.root();
        // Whatever an earlier run left running on this work folder, both sites and the link.
        Shell.run(root, edge, List.of("bash", "deploy/factory-edge/stop.sh"));
        factory = new Suite(FACTORY, FACTORY_KAFKA, FACTORY_PORTS, Map.of("IMPRINT_DB_NAME", DB_PREFIX + "_factory"));
        hq = new Suite(factory, "hq", HQ_KAFKA, HQ_PORTS, Map.of("IMPRINT_DB_NAME", DB_PREFIX + "_hq"));
        Shell.ok(root, factory.env, "bash", "deploy/local/operators.sh", Suite.OPERATOR, "order-admin,revoker,auditor");
        Shell.ok(root, edge, "bash", "deploy/factory-edge/start.sh");
        factory.enrolStation(FACTORY, STATION);
        // The order is opened at headquarters, signed by the operator, and reaches the factory's csr-intake.
        order = "order-edge-" + UUID.randomUUID();
        String sent = Shell.ok(
                root,
                edge,
                "bash",
                "-c",
                "source deploy/factory-edge/sites.sh && hq bash deploy/local/operator-request.sh \"$@\"",
                "operator-request",
                Suite.OPERATOR,
                "open-order",
                order,
                FACTORY,
                "sensor-edge",
                String.valueOf(2 * BATCH),
                Instant.now().plus(Duration.ofDays(1)).toString());
        assertTrue(sent.contains("imprint.order.requested " + order), sent);
        long deadline = System.nanoTime() + ACROSS.toNanos();
        HttpResponse<String> atTheFactory = orderAtTheFactory();
        while (atTheFactory.statusCode() == 404 && System.nanoTime() < deadline) {
            Thread.sleep(500);
            atTheFactory = orderAtTheFactory();
        }
        assertEquals(200, atTheFactory.statusCode(), atTheFactory.body());
        assertTrue(atTheFactory.body().contains("\"quantity\":" + (2 * BATCH)), atTheFactory.body());
    }

    private HttpResponse<String> orderAtTheFactory() throws IOException {
        return send(
                factory.operatorClient(),
                HttpRequest.newBuilder(URI.create(factory.operatorUrl("csr-intake", "/orders/" + order)))
                        .build());
    }

    @AfterAll
    void stopBothSites() {
        Shell.run(ProjectPaths.root(), edge, List.of("bash", "deploy/factory-edge/stop.sh"));
        traces.close();
    }

    @Test
    @Order(1)
    void certificatesIssuedAtTheFactoryReachHeadquartersAuditAndFleet() throws Exception {
        provision(BATCH);
        awaitEqual(BATCH, this::auditedAtHeadquarters, "certificates audit logged at headquarters");
        awaitEqual(BATCH, this::devicesAtHeadquarters, "devices fleet-registry holds at headquarters");
        aDevicesRequestIsOneTraceAcrossBothSites(provisioned.get(0));
        theFactorySignsWithItsOwnCaInItsOwnToken();
    }

    /**
     * The factory's devices are certified by its own issuing CA, whose key is in the factory's token and not in
     * headquarters' (which holds the root that certified it, from the factory's request; factory-ca.sh).
     */
    private void theFactorySignsWithItsOwnCaInItsOwnToken() throws IOException {
        Shell.Result verified = Shell.run(
                factory.root,
                edge,
                List.of(
                        "openssl",
                        "verify",
                        "-CAfile",
                        factory.certs().resolve("root-ca.pem").toString(),
                        "-untrusted",
                        factoryCa().toString(),
                        writeCertificate(provisioned.get(0)).toString()));
        assertEquals(0, verified.exit(), verified.output());
        assertEquals(
                Pem.certificates(Files.readString(factoryCa())).get(0).getSubjectX500Principal(),
                Pem.certificates(provisioned.get(0).certificate()).get(0).getIssuerX500Principal());
        Set<String> atTheFactory = tokenCertificates("softhsm-" + FACTORY);
        Set<String> atHeadquarters = tokenCertificates("softhsm");
        assertTrue(atTheFactory.contains("issuing-ca-" + FACTORY), "factory token: " + atTheFactory);
        assertTrue(atTheFactory.contains("ocsp-responder-" + FACTORY), "factory token: " + atTheFactory);
        assertTrue(!atTheFactory.contains("root-ca"), "no root key at the factory: " + atTheFactory);
        assertTrue(atHeadquarters.contains("root-ca"), "headquarters' token: " + atHeadquarters);
        assertTrue(
                !atHeadquarters.contains("issuing-ca-" + FACTORY),
                "the factory CA's key is not at headquarters: " + atHeadquarters);
    }

    /** The labels of the certificates in a SoftHSM2 token of the work folder, as OpenSC's pkcs11-tool lists them. */
    private Set<String> tokenCertificates(String token) {
        Map<String, String> env = new HashMap<>(edge);
        env.put("SOFTHSM2_CONF", factory.work.resolve(token + "/softhsm2.conf").toString());
        String listed = Shell.ok(
                factory.root,
                env,
                "pkcs11-tool",
                "--module",
                "/usr/lib/softhsm/libsofthsm2.so",
                "--list-objects",
                "--type",
                "cert");
        Set<String> labels = new TreeSet<>();
        listed.lines()
                .map(String::strip)
                .filter(l -> l.startsWith("label:"))
                .map(l -> l.substring("label:".length()).strip())
                .filter(l -> !l.isEmpty())
                .forEach(labels::add);
        return labels;
    }

    private Path factoryCa() {
        return factory.certs().resolve("issuing-ca-" + FACTORY + ".pem");
    }

    /**
     * Every hop of one device's request, at the factory (csr-intake, the signer, revocation) and at headquarters
     * (audit, fleet-registry, after the mirror), is a span of the trace its request id names: no header carried it.
     */
    private void aDevicesRequestIsOneTraceAcrossBothSites(DeviceResult device) throws InterruptedException {
        String trace = RequestTraceIds.traceId(device.requestId());
        Set<String> expected = Set.of(
                "csr-intake receive " + Topics.CSR_SUBMITTED,
                "signer receive " + Topics.CSR_ACCEPTED,
                "revocation receive " + Topics.CERT_ISSUED,
                "audit receive " + Topics.CERT_ISSUED,
                "fleet-registry receive " + Topics.CERT_ISSUED);
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        Set<String> seen = hops(trace);
        while (!seen.containsAll(expected) && System.nanoTime() < deadline) {
            Thread.sleep(500);
            seen = hops(trace);
        }
        assertEquals(expected, seen, "the spans of request " + device.requestId() + " (trace " + trace + ")");
        System.out.printf(
                "factory edge: request %s is trace %s: %s; %d spans received in all%n",
                device.requestId(), trace, new TreeSet<>(seen), traces.spans().size());
    }

    private Set<String> hops(String trace) {
        Set<String> hops = new HashSet<>();
        traces.spans().stream()
                .filter(span -> trace.equals(span.traceId()))
                .forEach(span -> hops.add(span.service() + " " + span.name()));
        return hops;
    }

    @Test
    @Order(2)
    void theFactoryKeepsProvisioningWhileTheLinkIsCutAndHeadquartersGetsEveryCertificateOnceItReturns()
            throws Exception {
        cutTheLink();

        provision(BATCH);
        assertEquals(2 * BATCH, provisioned.size());
        Thread.sleep(3_000);
        assertEquals(BATCH, auditedAtHeadquarters(), "nothing crosses while the link is down");

        restoreTheLink();
        awaitEqual(2 * BATCH, this::auditedAtHeadquarters, "certificates audit logged at headquarters");
        awaitEqual(2 * BATCH, this::devicesAtHeadquarters, "devices fleet-registry holds at headquarters");
        hq.awaitConsumersCaughtUp(ACROSS);

        // Exactly once, whatever the mirror copied twice: audit's log, fleet's inventory and its device.added events.
        assertEquals(2 * BATCH, auditedAtHeadquarters());
        assertEquals(2 * BATCH, devicesAtHeadquarters());
        Set<String> serials = new HashSet<>();
        for (DeviceResult device : provisioned) {
            JsonNode logged = json.readTree(auditAtHeadquarters("/audit/certificates/" + serial(device)));
            assertEquals(device.deviceId(), logged.path("deviceId").asText(), logged.toString());
            serials.add(serial(device));
        }
        assertEquals(2 * BATCH, serials.size());
        List<String> added = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer =
                hq.readFromBeginning("read_committed", List.of(Topics.DEVICE_ADDED))) {
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (added.size() < 2 * BATCH && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                    added.add(r.key());
                }
            }
            consumer.poll(Duration.ofSeconds(2)).forEach(r -> added.add(r.key()));
        }
        assertEquals(2 * BATCH, added.size(), "device.added events at headquarters: " + added);
        assertEquals(2 * BATCH, new HashSet<>(added).size(), "one device.added per device");
        long mirrored = mirroredIssuances();
        assertTrue(mirrored >= 2 * BATCH, "cert.issued records at headquarters: " + mirrored);
        System.out.printf(
                "factory edge: %d certificates, %d cert.issued records mirrored to headquarters, %d logged by audit,"
                        + " %d devices and %d device.added at headquarters%n",
                provisioned.size(), mirrored, auditedAtHeadquarters(), devicesAtHeadquarters(), added.size());
    }

    @Test
    @Order(3)
    void aRejectionAtTheFactoryReachesHeadquartersAudit() throws Exception {
        // The order's quantity is used up: csr-intake rejects, signs the rejection, and the mirror carries it.
        DeviceResult over = submit(1).get(0);
        assertEquals(DeviceResult.REJECTED, over.outcome(), over.detail());
        assertTrue(over.detail().startsWith("QUOTA_EXHAUSTED"), over.detail());
        awaitEqual(1, () -> summaryAtHeadquarters().path("rejected").asLong(), "rejections audit logged");
    }

    @Test
    @Order(4)
    void aRevocationAtTheFactoryReachesHeadquartersAuditAndFleet() throws Exception {
        DeviceResult device = provisioned.get(0);
        HttpResponse<String> revoked = send(
                factory.operatorClient(),
                HttpRequest.newBuilder(URI.create(factory.operatorUrl("revocation", "/revocations")))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(
                                "{\"serialNumber\":\"" + serial(device) + "\",\"reason\":\"KEY_COMPROMISE\"}"))
                        .build());
        assertEquals(201, revoked.statusCode(), revoked.body());
        // Signed by the factory's revocation service: audit at headquarters verifies the signature the mirror carried.
        awaitEqual(1, () -> summaryAtHeadquarters().path("revoked").asLong(), "revocations audit logged");
        awaitEqual(1, () -> revokedDevicesAtHeadquarters(device.deviceId()), "the device revoked in the fleet");
    }

    @Test
    @Order(5)
    void aRevocationRequestedAtHeadquartersWhileTheLinkIsDownReachesTheFactoryOcspOnceItReturns() throws Exception {
        DeviceResult device = provisioned.get(1);
        Path certificate = writeCertificate(device);
        assertEquals("good", factory.ocsp(certificate, factoryCa()));

        cutTheLink();
        // An operator at headquarters signs the request with their own key; the desk writes it to headquarters' broker.
        String sent = Shell.ok(
                factory.root,
                edge,
                "bash",
                "-c",
                "source deploy/factory-edge/sites.sh && hq bash deploy/local/operator-request.sh \"$0\" revoke"
                        + " \"$1\" KEY_COMPROMISE 'INC-edge: stolen from the line'",
                Suite.OPERATOR,
                serial(device));
        Matcher printed = Pattern.compile("request (\\S+) \\(imprint.revocation.requested")
                .matcher(sent);
        assertTrue(printed.find(), sent);
        String requestId = printed.group(1);
        Thread.sleep(3_000);
        assertEquals("good", factory.ocsp(certificate, factoryCa()), "nothing crosses while the link is down");

        restoreTheLink();
        long deadline = System.nanoTime() + ACROSS.toNanos();
        String status = factory.ocsp(certificate, factoryCa());
        while (!status.equals("revoked") && System.nanoTime() < deadline) {
            Thread.sleep(500);
            status = factory.ocsp(certificate, factoryCa());
        }
        assertEquals("revoked", status, "the factory's OCSP once the request crossed");
        assertEquals(
                "good", factory.ocsp(writeCertificate(provisioned.get(2)), factoryCa()), "only the device asked for");

        // The factory's revocation, signed by its revocation service and naming the operator's request, crosses back.
        awaitEqual(2, () -> summaryAtHeadquarters().path("revoked").asLong(), "revocations audit logged");
        awaitEqual(1, () -> revokedDevicesAtHeadquarters(device.deviceId()), "the device revoked in the fleet");
        List<CertRevokedV1> announced = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer =
                hq.readFromBeginning("read_committed", List.of(Topics.CERT_REVOKED))) {
            for (int empty = 0; empty < 4; ) {
                int n = 0;
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                    n++;
                    CertRevokedV1 event = EventCodec.decode(r.value(), CertRevokedV1.class);
                    if (event.serialNumber().equals(serial(device))) {
                        announced.add(event);
                    }
                }
                empty = n == 0 ? empty + 1 : 0;
            }
        }
        assertEquals(1, announced.size(), "cert.revoked of the device at headquarters: " + announced);
        assertEquals(requestId, announced.get(0).requestId());
        assertEquals(Suite.OPERATOR, announced.get(0).revokedBy());
    }

    /** The link goes down as a cut line leaves it: the mirror gone without a chance to commit what it copied. */
    private void cutTheLink() throws IOException {
        String pid = Files.readString(factory.work.resolve("mirror/mirror.pid")).strip();
        Shell.ok(factory.root, edge, "kill", "-9", pid);
    }

    private void restoreTheLink() {
        Shell.ok(
                factory.root,
                edge,
                "bash",
                "-c",
                "source deploy/factory-edge/sites.sh && sites bash deploy/factory-edge/mirror.sh start");
    }

    private Path writeCertificate(DeviceResult device) throws IOException {
        Path certificate = factory.work.resolve("edge-device-" + device.deviceId() + ".pem");
        Files.writeString(certificate, device.certificate());
        return certificate;
    }

    private void provision(int count) throws IOException {
        for (DeviceResult r : submit(count)) {
            assertEquals(DeviceResult.ISSUED, r.outcome(), r.deviceId() + ": " + r.detail());
            provisioned.add(r);
        }
    }

    /** Submits {@code count} new devices from the factory's station and waits for each answer. */
    private List<DeviceResult> submit(int count) throws IOException {
        Path stationDir = factory.stationDir(STATION);
        List<String> ids = IntStream.range(0, count)
                .mapToObj(i -> "edge-" + UUID.randomUUID())
                .toList();
        try (StationClient station = new StationClient(
                factory.bootstrap(),
                StationFiles.load(stationDir.resolve("station.key"), stationDir.resolve("station.crt")),
                factory.brokerCa(),
                FACTORY,
                STATION)) {
            return station.provision(ids, order, new SecureElementSimulator(), ACROSS);
        }
    }

    private static String serial(DeviceResult device) {
        return Serials.hex(Pem.certificates(device.certificate()).get(0).getSerialNumber());
    }

    private long auditedAtHeadquarters() {
        return summaryAtHeadquarters().path("issued").asLong();
    }

    private JsonNode summaryAtHeadquarters() {
        try {
            return json.readTree(auditAtHeadquarters("/audit/summary"));
        } catch (IOException e) {
            throw new IllegalStateException("audit summary at headquarters: " + e.getMessage(), e);
        }
    }

    /** An audit API of headquarters, as its auditor (HTTPS with the operator's certificate). */
    private String auditAtHeadquarters(String path) throws IOException {
        if (hqOperator == null) {
            hqOperator = hq.operatorClient();
        }
        HttpResponse<String> response = send(
                hqOperator,
                HttpRequest.newBuilder(URI.create(hq.operatorUrl("audit", path)))
                        .build());
        assertEquals(200, response.statusCode(), path + ": " + response.body());
        return response.body();
    }

    private long devicesAtHeadquarters() {
        return countAtHeadquarters("SELECT count(*) FROM fleet.device");
    }

    private long revokedDevicesAtHeadquarters(String deviceId) {
        return countAtHeadquarters(
                "SELECT count(*) FROM fleet.device WHERE status = 'REVOKED' AND device_id = '" + deviceId + "'");
    }

    private long countAtHeadquarters(String query) {
        try (Connection db = TestDatabase.connect(hq.env.get("IMPRINT_DB_NAME"));
                Statement statement = db.createStatement();
                ResultSet rows = statement.executeQuery(query)) {
            rows.next();
            return rows.getLong(1);
        } catch (SQLException e) {
            throw new IllegalStateException("fleet inventory at headquarters: " + e.getMessage(), e);
        }
    }

    /** cert.issued records on headquarters' broker: every certificate, and any the mirror copied twice. */
    private long mirroredIssuances() {
        long count = 0;
        try (KafkaConsumer<String, byte[]> consumer =
                hq.readFromBeginning("read_committed", List.of(Topics.CERT_ISSUED))) {
            for (int empty = 0; empty < 4; ) {
                int n = consumer.poll(Duration.ofMillis(500)).count();
                count += n;
                empty = n == 0 ? empty + 1 : 0;
            }
        }
        return count;
    }

    private static void awaitEqual(long expected, LongSupplier actual, String what) throws InterruptedException {
        long deadline = System.nanoTime() + ACROSS.toNanos();
        long seen = actual.getAsLong();
        while (seen != expected && System.nanoTime() < deadline) {
            Thread.sleep(500);
            seen = actual.getAsLong();
        }
        assertEquals(expected, seen, what);
    }

    private static HttpResponse<String> send(HttpClient client, HttpRequest request) throws IOException {
        try {
            return client.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }
}
