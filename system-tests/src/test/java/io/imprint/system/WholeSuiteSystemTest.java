package io.imprint.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.imprint.gateway.DeviceResult;
import io.imprint.gateway.SecureElementSimulator;
import io.imprint.gateway.StationClient;
import io.imprint.gateway.StationFiles;
import io.imprint.testing.ProjectPaths;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The five services started as processes by deploy/local/start-all.sh on their own broker, database and
 * token, driven from outside as a factory station and an SRE would, and checked with openssl and kcat.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class WholeSuiteSystemTest {
    private static final int DEVICES = 100;
    private static final String FACTORY = "factory-sys";
    private static final String STATION = "station-sys";
    private static final int PORT_BASE = 18080;
    private static final String BOOTSTRAP = "127.0.0.1:29092";

    private final Path root = ProjectPaths.root();
    private final Path work = root.resolve("work/system-test");
    private final Path certs = work.resolve("certs");
    private final Map<String, String> env = Map.of("IMPRINT_WORK", work.toString(), "IMPRINT_KAFKA_PORT", "29092",
            "IMPRINT_PORT_BASE", String.valueOf(PORT_BASE), "IMPRINT_DB_NAME", "imprint_system_test");
    private final List<Path> deviceCertificates = new ArrayList<>();
    private Path stationDir;
    private String order;

    @BeforeAll
    void startSuiteAndEnrolStation() throws IOException {
        Shell.ok(root, env, "bash", "deploy/local/start-all.sh");
        stationDir = Files.createDirectories(work.resolve("station"));
        StationFiles.generateKey(stationDir.resolve("station.key"), stationDir.resolve("station.pub.pem"));
        Shell.ok(root, env, "bash", "deploy/local/ca-ceremony.sh", "enrol-station", "--factory", FACTORY, "--station",
                STATION, "--public-key", stationDir.resolve("station.pub.pem").toString(), "--hours", "8", "--out",
                stationDir.resolve("station.crt").toString());
        order = "order-sys-" + UUID.randomUUID();
        HttpResponse<String> created = send(HttpRequest.newBuilder(URI.create(url("csr-intake", "/orders")))
                .header("Authorization", "Bearer " + Files.readString(work.resolve("secrets/intake-operator-token")).strip())
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"orderId\":\"" + order + "\",\"factoryId\":\"" + FACTORY
                        + "\",\"productModel\":\"sensor-sys\",\"quantity\":" + (DEVICES + 1) + ",\"notAfter\":\""
                        + Instant.now().plus(Duration.ofDays(1)) + "\"}")).build());
        assertEquals(201, created.statusCode(), created.body());
    }

    private static HttpResponse<String> send(HttpRequest request) throws IOException {
        try {
            return HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }

    @AfterAll
    void stopSuite() {
        Shell.run(root, env, List.of("bash", "deploy/local/stop-all.sh"));
    }

    @Test
    @Order(1)
    void provisionsAHundredDevicesThatOpensslVerifiesAgainstTheRoot() throws IOException {
        List<String> ids = IntStream.rangeClosed(1, DEVICES).mapToObj(i -> "sys-" + UUID.randomUUID()).toList();
        List<DeviceResult> results;
        try (StationClient station = new StationClient(BOOTSTRAP, StationFiles.load(stationDir.resolve("station.key"),
                stationDir.resolve("station.crt")), FACTORY, STATION)) {
            results = station.provision(ids, order, new SecureElementSimulator(), Duration.ofMinutes(3));
        }
        Path out = Files.createDirectories(work.resolve("devices"));
        for (DeviceResult r : results) {
            assertEquals(DeviceResult.ISSUED, r.outcome(), r.deviceId() + ": " + r.detail());
            Path pem = out.resolve(r.deviceId() + ".pem");
            Files.writeString(pem, r.certificate());
            deviceCertificates.add(pem);
        }
        List<String> verify = new ArrayList<>(List.of("openssl", "verify", "-CAfile", certs.resolve("root-ca.pem").toString(),
                "-untrusted", certs.resolve("issuing-ca.pem").toString()));
        deviceCertificates.forEach(p -> verify.add(p.toString()));
        String output = Shell.ok(root, env, verify.toArray(String[]::new));
        assertEquals(DEVICES, output.lines().filter(l -> l.endsWith(": OK")).count(), output);
    }

    @Test
    @Order(2)
    void revokedCertificateIsListedByOpensslCrlAndOcspSaysRevokedOthersGood() throws Exception {
        Path revoked = deviceCertificates.get(0);
        Path good = deviceCertificates.get(1);
        String serial = Shell.ok(root, env, "openssl", "x509", "-in", revoked.toString(), "-noout", "-serial")
                .strip().substring("serial=".length()).toLowerCase().replaceFirst("^0+", "");
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create(url("revocation", "/revocations")))
                .header("Authorization", "Bearer " + Files.readString(work.resolve("secrets/operator-token")).strip())
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"serialNumber\":\"" + serial
                        + "\",\"reason\":\"KEY_COMPROMISE\"}")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(201, response.statusCode(), response.body());

        Path crl = work.resolve("crl.der");
        String crlText = "";
        Instant deadline = Instant.now().plusSeconds(60);
        while (Instant.now().isBefore(deadline) && !listed(crlText, serial)) {
            HttpResponse<Path> download = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create(url("revocation", "/crl"))).build(), HttpResponse.BodyHandlers.ofFile(crl));
            crlText = download.statusCode() == 200
                    ? Shell.ok(root, env, "openssl", "crl", "-inform", "DER", "-in", crl.toString(), "-noout", "-text",
                            "-CAfile", certs.resolve("ca-chain.pem").toString())
                    : "";
            Thread.sleep(250);
        }
        assertTrue(listed(crlText, serial), "revoked serial in the CRL:\n" + crlText);
        assertTrue(crlText.contains("Key Compromise"), crlText);

        assertEquals("revoked", ocsp(revoked));
        assertEquals("good", ocsp(good));
    }

    @Test
    @Order(3)
    void submissionBuiltWithOpensslAndPublishedWithKcatIsProvisioned() throws Exception {
        String device = "hand-" + UUID.randomUUID();
        String requestId = UUID.randomUUID().toString();
        Path dir = Files.createDirectories(work.resolve("by-hand"));
        Path key = dir.resolve("device.key");
        Path csr = dir.resolve("device.csr");
        Shell.ok(dir, env, "openssl", "ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out", key.toString());
        Shell.ok(dir, env, "openssl", "req", "-new", "-key", key.toString(), "-subj",
                "/CN=" + device + "/serialNumber=" + device, "-out", csr.toString());
        // The CsrSubmitted payload exactly as asyncapi.yaml documents it, written by hand.
        String json = "{\"requestId\":\"" + requestId + "\",\"deviceId\":\"" + device + "\",\"factoryId\":\"" + FACTORY
                + "\",\"stationId\":\"" + STATION + "\",\"orderId\":\"" + order + "\",\"submittedAt\":\"" + Instant.now()
                + "\",\"csr\":\"" + Files.readString(csr).replace("\n", "\\n") + "\"}";
        Path submission = dir.resolve("submission.json");
        Files.writeString(submission, json);
        Path signature = dir.resolve("sig.der");
        Shell.ok(dir, env, "openssl", "dgst", "-sha256", "-sign", stationDir.resolve("station.key").toString(), "-out",
                signature.toString(), submission.toString());
        String stationCert = Shell.ok(dir, env, "bash", "-c", "openssl x509 -in "
                + stationDir.resolve("station.crt") + " -outform DER | base64 -w0").strip();
        String sig = Shell.ok(dir, env, "base64", "-w0", signature.toString()).strip();
        Shell.ok(dir, env, "kcat", "-P", "-b", BOOTSTRAP, "-t", "imprint.csr.submitted.v1", "-k", device,
                "-H", "ce_specversion=1.0", "-H", "ce_id=" + UUID.randomUUID(), "-H", "ce_source=/station/" + STATION,
                "-H", "ce_type=imprint.csr.submitted", "-H", "ce_time=" + Instant.now(),
                "-H", "content-type=application/json", "-H", "imprint-station-cert=" + stationCert,
                "-H", "imprint-station-signature=" + sig, submission.toString());

        String issued = "";
        Instant deadline = Instant.now().plusSeconds(60);
        while (Instant.now().isBefore(deadline) && !issued.contains(requestId)) {
            issued = Shell.ok(dir, env, "kcat", "-C", "-b", BOOTSTRAP, "-t", "imprint.cert.issued.v1", "-o",
                    "beginning", "-e", "-q", "-X", "isolation.level=read_committed");
            Thread.sleep(250);
        }
        String line = issued.lines().filter(l -> l.contains(requestId)).findFirst()
                .orElseThrow(() -> new AssertionError("no cert.issued for the kcat submission"));
        assertTrue(line.contains("\"deviceId\":\"" + device + "\""), line);
    }

    private String ocsp(Path certificate) {
        String output = Shell.ok(root, env, "openssl", "ocsp", "-issuer", certs.resolve("issuing-ca.pem").toString(),
                "-cert", certificate.toString(), "-url", url("revocation", "/ocsp"), "-CAfile",
                certs.resolve("root-ca.pem").toString(), "-verify_other", certs.resolve("issuing-ca.pem").toString());
        assertTrue(output.contains("Response verify OK"), output);
        return output.lines().filter(l -> l.startsWith(certificate + ":")).findFirst()
                .map(l -> l.substring(l.indexOf(':') + 1).strip()).orElseThrow(() -> new AssertionError(output));
    }

    private static boolean listed(String crlText, String serial) {
        return crlText.lines().map(String::strip).filter(l -> l.startsWith("Serial Number:"))
                .map(l -> l.substring("Serial Number:".length()).strip().toLowerCase().replaceFirst("^0+", ""))
                .anyMatch(serial::equals);
    }

    private static String url(String service, String path) {
        int offset = List.of("csr-intake", "signer", "audit", "fleet-registry", "revocation").indexOf(service) + 1;
        return "http://127.0.0.1:" + (PORT_BASE + offset) + path;
    }
}
