package io.imprint.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.imprint.gateway.DeviceResult;
import io.imprint.gateway.SecureElementSimulator;
import io.imprint.gateway.StationClient;
import io.imprint.gateway.StationFiles;
import io.imprint.testing.Shell;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.Socket;
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
import java.util.Locale;
import java.util.Map;
import java.util.Set;
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
 * The five services started as processes by deploy/local/start-all.sh on their own broker (mutual TLS, ACLs),
 * database and token, driven from outside as a factory station, an operator, an SRE and an attacker would,
 * and checked with openssl and kcat.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class WholeSuiteSystemTest {
    private static final int DEVICES = 100;
    private static final String FACTORY = "factory-sys";
    private static final String STATION = "station-sys";
    /** The serial a forged csr.accepted asks the CA for. */
    private static final String FORGED_SERIAL = "4242424242424242424242424242abcd";

    private final Suite suite = new Suite("system-test", 29092, 18080, Map.of());
    private final Path work = suite.work;
    private final Path certs = suite.certs();
    private final List<Path> deviceCertificates = new ArrayList<>();
    private final HttpClient http = HttpClient.newHttpClient();
    private HttpClient operatorHttp;
    private Path stationDir;
    private String order;

    @BeforeAll
    void startSuiteAndEnrolStation() throws IOException {
        suite.start();
        suite.enrolStation(FACTORY, STATION);
        stationDir = suite.stationDir(STATION);
        order = "order-sys-" + UUID.randomUUID();
        HttpResponse<String> created = send(HttpRequest.newBuilder(
                        URI.create(suite.operatorUrl("csr-intake", "/orders")))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"orderId\":\"" + order + "\",\"factoryId\":\"" + FACTORY
                        + "\",\"productModel\":\"sensor-sys\",\"quantity\":" + (DEVICES + 1) + ",\"notAfter\":\""
                        + Instant.now().plus(Duration.ofDays(1)) + "\"}"))
                .build());
        assertEquals(201, created.statusCode(), created.body());
    }

    private HttpClient operatorHttp() {
        if (operatorHttp == null) {
            operatorHttp = suite.operatorClient();
        }
        return operatorHttp;
    }

    private HttpResponse<String> send(HttpRequest request) throws IOException {
        try {
            // The operator APIs are HTTPS with the operator's certificate; CRLs, OCSP and health plain HTTP.
            HttpClient client = "https".equals(request.uri().getScheme()) ? operatorHttp() : http;
            return client.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }

    @AfterAll
    void stopSuite() {
        suite.stop();
    }

    @Test
    @Order(1)
    void provisionsAHundredDevicesThatOpensslVerifiesAgainstTheDeviceRoot() throws IOException {
        List<String> ids = IntStream.rangeClosed(1, DEVICES)
                .mapToObj(i -> "sys-" + UUID.randomUUID())
                .toList();
        List<DeviceResult> results;
        try (StationClient station = new StationClient(
                suite.bootstrap(),
                StationFiles.load(stationDir.resolve("station.key"), stationDir.resolve("station.crt")),
                suite.brokerCa(),
                FACTORY,
                STATION)) {
            results = station.provision(ids, order, new SecureElementSimulator(), Duration.ofMinutes(3));
        }
        Path out = Files.createDirectories(work.resolve("devices"));
        for (DeviceResult r : results) {
            assertEquals(DeviceResult.ISSUED, r.outcome(), r.deviceId() + ": " + r.detail());
            Path pem = out.resolve(r.deviceId() + ".pem");
            Files.writeString(pem, r.certificate());
            deviceCertificates.add(pem);
        }
        List<String> verify = new ArrayList<>(List.of(
                "openssl",
                "verify",
                "-CAfile",
                certs.resolve("root-ca.pem").toString(),
                "-untrusted",
                certs.resolve("issuing-ca.pem").toString()));
        deviceCertificates.forEach(p -> verify.add(p.toString()));
        String output = Shell.ok(suite.root, suite.env, verify.toArray(String[]::new));
        assertEquals(DEVICES, output.lines().filter(l -> l.endsWith(": OK")).count(), output);
    }

    @Test
    @Order(2)
    void revokedCertificateIsListedByOpensslCrlAndOcspSaysRevokedOthersGood() throws Exception {
        Path revoked = deviceCertificates.get(0);
        Path good = deviceCertificates.get(1);
        String serial = serial(revoked);
        HttpResponse<String> response =
                send(HttpRequest.newBuilder(URI.create(suite.operatorUrl("revocation", "/revocations")))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(
                                "{\"serialNumber\":\"" + serial + "\",\"reason\":\"KEY_COMPROMISE\"}"))
                        .build());
        assertEquals(201, response.statusCode(), response.body());

        String crlText = awaitCrlListing(revoked);
        assertTrue(crlText.contains("Key Compromise"), crlText);
        assertEquals("revoked", suite.ocsp(revoked));
        assertEquals("good", suite.ocsp(good));
        // Every device over GET (curl, answers checked by openssl), a quarter of them with '+' in the base64.
        List<String> get = new ArrayList<>(List.of(
                "bash",
                "deploy/local/ocsp-get.sh",
                suite.url("revocation", "/ocsp"),
                certs.resolve("issuing-ca.pem").toString(),
                certs.resolve("root-ca.pem").toString()));
        deviceCertificates.forEach(p -> get.add(p.toString()));
        String overGet = Shell.ok(suite.root, suite.env, get.toArray(String[]::new));
        assertTrue(
                overGet.contains(DEVICES + " certificates: " + (DEVICES - 1) + " good, 1 revoked, 0 failed"), overGet);
        assertFalse(overGet.contains("with '+': 0,"), overGet);

        // The whole chain, as a relying party checks it with the CRLs named inside the certificates: the issuing
        // CA's (signed by the signer) and the root's (signed in the ceremony, listing revoked CAs).
        Shell.Result goodChain = verifyWithCrlsFromTheCertificates(good);
        assertEquals(0, goodChain.exit(), goodChain.output());
        Shell.Result revokedChain = verifyWithCrlsFromTheCertificates(revoked);
        assertNotEquals(0, revokedChain.exit());
        assertTrue(revokedChain.output().contains("certificate revoked"), revokedChain.output());
    }

    /**
     * {@code openssl verify -crl_check_all -use_deltas} with the CRLs fetched from the URLs in the device's and its
     * CA's: the device's partition's full CRL and its delta CRL (Freshest CRL) when one is served.
     */
    private Shell.Result verifyWithCrlsFromTheCertificates(Path device) throws Exception {
        List<String> command = new ArrayList<>(List.of(
                "openssl",
                "verify",
                "-crl_check_all",
                "-use_deltas",
                "-CAfile",
                certs.resolve("root-ca.pem").toString(),
                "-untrusted",
                certs.resolve("issuing-ca.pem").toString()));
        List<String> urls = new ArrayList<>(List.of(
                crlUrl(device, "crlDistributionPoints"),
                crlUrl(certs.resolve("issuing-ca.pem"), "crlDistributionPoints")));
        deltaCrlUrl(device).ifPresent(urls::add);
        for (int i = 0; i < urls.size(); i++) {
            Path pem = fetchCrl(urls.get(i), "fetched-" + i);
            if (pem != null) {
                command.add("-CRLfile");
                command.add(pem.toString());
            } else {
                assertTrue(urls.get(i).endsWith("/delta"), "only a delta CRL may be absent: " + urls.get(i));
            }
        }
        command.add(device.toString());
        return Shell.run(suite.root, suite.env, command);
    }

    /**
     * Fetches a CRL as PEM; null for 404 (a partition without delta since its full CRL). A partition's first CRL is
     * asked for once a certificate of it is recorded, and signed moments later: 503 until then.
     */
    private Path fetchCrl(String url, String name) throws Exception {
        Path der = work.resolve(name + ".crl");
        HttpResponse<Path> fetched =
                http.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofFile(der));
        for (Instant deadline = Instant.now().plusSeconds(60);
                fetched.statusCode() == 503 && Instant.now().isBefore(deadline); ) {
            Thread.sleep(250);
            fetched = http.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofFile(der));
        }
        if (fetched.statusCode() == 404 && url.endsWith("/delta")) {
            return null;
        }
        assertEquals(200, fetched.statusCode(), url);
        Path pem = work.resolve(name + ".pem");
        Shell.ok(
                suite.root,
                suite.env,
                "openssl",
                "crl",
                "-inform",
                "DER",
                "-in",
                der.toString(),
                "-out",
                pem.toString());
        return pem;
    }

    private java.util.Optional<String> deltaCrlUrl(Path certificate) {
        String text =
                Shell.ok(suite.root, suite.env, "openssl", "x509", "-in", certificate.toString(), "-noout", "-text");
        return text.contains("Freshest CRL")
                ? java.util.Optional.of(crlUrl(certificate, "freshestCRL"))
                : java.util.Optional.empty();
    }

    /** The URL in a certificate's CRL distribution point (or Freshest CRL) extension, as openssl reads it. */
    private String crlUrl(Path certificate, String extension) {
        String text = Shell.ok(
                suite.root, suite.env, "openssl", "x509", "-in", certificate.toString(), "-noout", "-ext", extension);
        return text.lines()
                .map(String::strip)
                .filter(l -> l.startsWith("URI:"))
                .map(l -> l.substring("URI:".length()))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no CRL distribution point in " + certificate + ":\n" + text));
    }

    @Test
    @Order(3)
    void submissionBuiltWithOpensslAndPublishedWithKcatIsProvisioned() throws Exception {
        String device = "hand-" + UUID.randomUUID();
        String requestId = UUID.randomUUID().toString();
        Path dir = Files.createDirectories(work.resolve("by-hand"));
        String csr = csr(dir, device);
        // The CsrSubmitted payload exactly as asyncapi.yaml documents it, written by hand.
        String json = "{\"requestId\":\"" + requestId + "\",\"deviceId\":\"" + device + "\",\"factoryId\":\"" + FACTORY
                + "\",\"stationId\":\"" + STATION + "\",\"orderId\":\"" + order + "\",\"submittedAt\":\""
                + Instant.now()
                + "\",\"csr\":\"" + csr + "\"}";
        Path submission = dir.resolve("submission.json");
        Files.writeString(submission, json);
        Path signature = dir.resolve("sig.der");
        Shell.ok(
                dir,
                suite.env,
                "openssl",
                "dgst",
                "-sha256",
                "-sign",
                stationDir.resolve("station.key").toString(),
                "-out",
                signature.toString(),
                submission.toString());
        String stationCert = Shell.ok(
                        dir,
                        suite.env,
                        "bash",
                        "-c",
                        "openssl x509 -in " + stationDir.resolve("station.crt") + " -outform DER | base64 -w0")
                .strip();
        String sig =
                Shell.ok(dir, suite.env, "base64", "-w0", signature.toString()).strip();
        List<String> produce = kcat(
                suite.kcatAsStation(STATION),
                "-P",
                "-t",
                "imprint.csr.submitted.v1",
                "-k",
                device,
                "-H",
                "ce_specversion=1.0",
                "-H",
                "ce_id=" + UUID.randomUUID(),
                "-H",
                "ce_source=/station/" + STATION,
                "-H",
                "ce_type=imprint.csr.submitted",
                "-H",
                "ce_time=" + Instant.now(),
                "-H",
                "content-type=application/json",
                "-H",
                "imprint-station-cert=" + stationCert,
                "-H",
                "imprint-station-signature=" + sig,
                submission.toString());
        Shell.ok(dir, suite.env, produce.toArray(String[]::new));

        // The station reads its answer where it may: its factory's results topic.
        String line = awaitLine(suite.kcatAsStation(STATION), "imprint.station-results." + FACTORY + ".v1", requestId);
        assertTrue(line.contains("\"deviceId\":\"" + device + "\""), line);
        assertTrue(line.contains("\"certificate\":\"-----BEGIN CERTIFICATE-----"), line);
    }

    /**
     * The four attacks of the event-plane issue, exactly as a new user would try them with kcat and a station's
     * certificate: the broker refuses each write, a client without a certificate does not even connect, and
     * nothing changed: no certificate issued, no genuine certificate superseded, fleet and audit as before, the
     * revoked serial still on the CRL.
     */
    @Test
    @Order(4)
    void handWrittenForgeriesFromAStationAreRefusedByTheBrokerAndChangeNothing() throws Exception {
        Forgeries forged = forgeries();
        String auditBefore = auditOnceCaughtUp();
        for (Map.Entry<String, Path> attack : forged.records().entrySet()) {
            Shell.Result refused = Shell.run(
                    work,
                    suite.env,
                    kcat(
                            suite.kcatAsStation(STATION),
                            "-P",
                            "-t",
                            attack.getKey(),
                            "-X",
                            "message.timeout.ms=10000",
                            attack.getValue().toString()));
            assertTrue(
                    refused.output().contains("Topic authorization failed"), attack.getKey() + ": " + refused.output());
        }
        Shell.Result anonymous = Shell.run(
                work,
                suite.env,
                List.of(
                        "kcat",
                        "-L",
                        "-b",
                        suite.bootstrap(),
                        "-m",
                        "5",
                        "-X",
                        "security.protocol=ssl",
                        "-X",
                        "ssl.ca.location=" + certs.resolve("infrastructure-root-ca.pem")));
        assertNotEquals(0, anonymous.exit(), "no client certificate, no connection: " + anonymous.output());
        Shell.Result plaintext = Shell.run(work, suite.env, List.of("kcat", "-L", "-b", suite.bootstrap(), "-m", "5"));
        assertNotEquals(0, plaintext.exit(), "no PLAINTEXT listener: " + plaintext.output());

        assertNothingChanged(forged, auditBefore);
    }

    /**
     * The same forgeries published past the ACLs, by the administrator (a misconfigured ACL, a mirror replaying
     * another cluster): each service refuses them on its own, sets them aside with a reason code, and still
     * nothing changed.
     */
    @Test
    @Order(5)
    void theSameForgeriesPastTheAclsAreRefusedByTheServicesAndChangeNothing() throws Exception {
        Forgeries forged = forgeries();
        String auditBefore = auditOnceCaughtUp();
        for (Map.Entry<String, Path> attack : forged.records().entrySet()) {
            Shell.ok(
                    work,
                    suite.env,
                    kcat(
                                    suite.kcatAs("admin"),
                                    "-P",
                                    "-t",
                                    attack.getKey(),
                                    "-k",
                                    "forged",
                                    attack.getValue().toString())
                            .toArray(String[]::new));
        }
        Map<String, String> refusals = Map.of(
                "imprint.csr.accepted.v1.signer.dlq", "COMMAND_UNSIGNED",
                "imprint.crl.sign-requested.v1.signer.dlq", "COMMAND_UNSIGNED",
                "imprint.cert.issued.v1.audit.dlq", "CERTIFICATE_UNTRUSTED",
                "imprint.cert.issued.v1.fleet-registry.dlq", "CERTIFICATE_UNTRUSTED",
                "imprint.cert.issued.v1.revocation.dlq", "CERTIFICATE_UNTRUSTED",
                "imprint.cert.revoked.v1.audit.dlq", "COMMAND_UNSIGNED",
                "imprint.cert.revoked.v1.fleet-registry.dlq", "COMMAND_UNSIGNED");
        for (Map.Entry<String, String> dlq : refusals.entrySet()) {
            String line = awaitLine(suite.kcatAs("sre"), dlq.getKey(), forged.requestId());
            assertTrue(line.contains("dead-letter-code=" + dlq.getValue()), dlq.getKey() + ": " + line);
        }
        String ocsp = Shell.ok(
                work,
                suite.env,
                "openssl",
                "ocsp",
                "-issuer",
                certs.resolve("issuing-ca.pem").toString(),
                "-serial",
                "0x" + forged.serial(),
                "-url",
                suite.url("revocation", "/ocsp"),
                "-CAfile",
                certs.resolve("root-ca.pem").toString(),
                "-verify_other",
                certs.resolve("issuing-ca.pem").toString());
        assertTrue(ocsp.contains(": unknown"), "the CA never issued the forged serial: " + ocsp);
        assertNothingChanged(forged, auditBefore);
    }

    /**
     * What a fleet platform and an auditor read, as the SRE reads it with kcat: each device's state on the
     * compacted topic, the order's change signed by csr-intake, and a signed checkpoint of the audit log, each with
     * its CloudEvents headers.
     */
    @Test
    @Order(7)
    void kcatShowsDeviceStatesOrderChangesAndCheckpointsWithTheirCloudEventsHeaders() throws Exception {
        String revoked = deviceCertificates.get(0).getFileName().toString().replace(".pem", "");
        String state = awaitLine(suite.kcatAs("sre"), "imprint.device.state.v1", "\"status\":\"revoked\"");
        assertTrue(state.contains("ce_type=imprint.device.state"), state);
        assertTrue(state.contains("ce_specversion=1.0") && state.contains("ce_source=/imprint/fleet-registry"), state);
        String device = awaitLine(suite.kcatAs("sre"), "imprint.device.state.v1", "\"deviceId\":\"" + revoked + "\"");
        assertTrue(device.contains("\"productModel\":\"sensor-sys\""), device);
        String change = awaitLine(suite.kcatAs("sre"), "imprint.order.changed.v1", "\"orderId\":\"" + order + "\"");
        assertTrue(change.contains("ce_type=imprint.order.changed"), change);
        assertTrue(change.contains("imprint-service-signature="), change);
        HttpResponse<String> checkpoint =
                send(HttpRequest.newBuilder(URI.create(suite.operatorUrl("audit", "/audit/checkpoints")))
                        .POST(HttpRequest.BodyPublishers.noBody())
                        .build());
        assertEquals(200, checkpoint.statusCode(), checkpoint.body());
        String size = checkpoint.body().replaceAll(".*\"treeSize\":(\\d+).*", "$1");
        String signed =
                awaitLine(suite.kcatAs("sre"), "imprint.audit.checkpoint.v1", "audit-checkpoint-" + size + "\"");
        assertTrue(signed.contains("ce_type=imprint.audit.checkpoint"), signed);
        assertTrue(signed.contains("\"signature\":\""), signed);
    }

    /**
     * The issuing CA itself is revocable: revoked in a root ceremony, it is listed on the root's CRL that revocation
     * serves, and every device below it fails a relying party that checks the whole chain. Last, since it ends
     * every device of this suite.
     */
    @Test
    @Order(8)
    void revokingTheIssuingCaInARootCeremonyFailsEveryDeviceBelowIt() throws Exception {
        Path good = deviceCertificates.get(1);
        assertEquals(0, verifyWithCrlsFromTheCertificates(good).exit(), "good before");
        Shell.ok(
                suite.root,
                suite.env,
                "bash",
                "deploy/local/ca-ceremony.sh",
                "revoke-ca",
                "--ca",
                "issuing-ca",
                "--reason",
                "cACompromise",
                "--out",
                certs.toString());
        Shell.Result after = verifyWithCrlsFromTheCertificates(good);
        assertNotEquals(0, after.exit());
        assertTrue(after.output().contains("certificate revoked"), after.output());
        String rootCrl = Shell.ok(
                suite.root,
                suite.env,
                "openssl",
                "crl",
                "-in",
                work.resolve("fetched-1.pem").toString(),
                "-noout",
                "-text",
                "-CAfile",
                certs.resolve("root-ca.pem").toString());
        assertTrue(rootCrl.contains("CA Compromise") && rootCrl.contains("verify OK"), rootCrl);
    }

    @Test
    @Order(6)
    void everyServiceAnswersOnLoopbackOnlyByDefault() throws Exception {
        List<InetAddress> external = NetworkInterface.networkInterfaces()
                .filter(this::up)
                .flatMap(NetworkInterface::inetAddresses)
                .filter(a -> !a.isLoopbackAddress())
                .toList();
        assertFalse(external.isEmpty(), "this host has an address besides loopback to try");
        for (String service : List.of("csr-intake", "signer", "audit", "fleet-registry", "revocation")) {
            int port = URI.create(suite.url(service, "/")).getPort();
            try (Socket loopback = new Socket(InetAddress.getLoopbackAddress(), port)) {
                assertTrue(loopback.isConnected(), service);
            }
            for (InetAddress address : external) {
                assertThrows(
                        IOException.class,
                        () -> {
                            try (Socket socket = new Socket()) {
                                socket.connect(new InetSocketAddress(address, port), 2000);
                            }
                        },
                        service + " must not answer on " + address);
            }
        }
    }

    /**
     * The alert rules and the dashboard (deploy/observability) name only metrics the suite serves: each name in them
     * is a sample of some service's {@code /q/metrics} after the runs above (provisioning, rejections, forgeries,
     * revocations, CRLs, OCSP).
     */
    @Test
    @Order(9)
    void everyMetricTheAlertsAndTheDashboardNameIsServed() throws Exception {
        Set<String> named = new java.util.TreeSet<>();
        for (String file : List.of("prometheus-rules.yml", "grafana-dashboard.json")) {
            java.util.regex.Matcher names = java.util.regex.Pattern.compile(
                            "\\b(imprint_[a-z0-9_]+|kafka_consumer_[a-z0-9_]+)\\b")
                    .matcher(Files.readString(
                            suite.root.resolve("deploy/observability").resolve(file)));
            while (names.find()) {
                named.add(names.group(1));
            }
        }
        assertTrue(named.size() >= 10, "names found: " + named);
        Set<String> served = new java.util.HashSet<>();
        for (String service : List.of("csr-intake", "signer", "audit", "fleet-registry", "revocation")) {
            get(suite.url(service, "/q/metrics"))
                    .lines()
                    .filter(line -> !line.startsWith("#") && !line.isBlank())
                    .map(line -> line.split("[{ ]", 2)[0])
                    .forEach(served::add);
        }
        Set<String> missing = new java.util.TreeSet<>(named);
        missing.removeAll(served);
        assertTrue(missing.isEmpty(), "named by the alerts or the dashboard but served by no service: " + missing);
    }

    private boolean up(NetworkInterface network) {
        try {
            return network.isUp();
        } catch (java.net.SocketException e) {
            return false;
        }
    }

    /** Hand-written records for the four attacks, each with one request id, files ready for kcat. */
    private record Forgeries(
            String requestId,
            String serial,
            String genuineDevice,
            String genuineSerial,
            String newDevice,
            Map<String, Path> records) {}

    private Forgeries forgeries() throws Exception {
        String requestId = "forged-" + UUID.randomUUID();
        Path dir = Files.createDirectories(work.resolve("forged/" + requestId));
        Path genuine = deviceCertificates.get(1);
        String genuineDevice = genuine.getFileName().toString().replace(".pem", "");
        String newDevice = "forged-" + UUID.randomUUID();
        String issuer = Shell.ok(
                        dir,
                        suite.env,
                        "openssl",
                        "x509",
                        "-in",
                        certs.resolve("issuing-ca.pem").toString(),
                        "-noout",
                        "-subject",
                        "-nameopt",
                        "RFC2253")
                .strip()
                .substring("subject=".length());
        Path key = dir.resolve("forged.key");
        Path self = dir.resolve("forged.pem");
        Shell.ok(
                dir,
                suite.env,
                "openssl",
                "req",
                "-x509",
                "-newkey",
                "ec",
                "-pkeyopt",
                "ec_paramgen_curve:P-256",
                "-nodes",
                "-keyout",
                key.toString(),
                "-subj",
                "/CN=" + genuineDevice + "/serialNumber=" + genuineDevice,
                "-days",
                "1",
                "-out",
                self.toString());
        String serial = serial(self);
        String pem = Files.readString(self).replace("\n", "\\n");
        String now = Instant.now().toString();
        Map<String, String> json = Map.of(
                "imprint.csr.accepted.v1",
                        "{\"requestId\":\"" + requestId + "\",\"deviceId\":\"" + newDevice
                                + "\",\"factoryId\":\"made-up\",\"stationId\":\"made-up\",\"orderId\":\"made-up\",\"csr\":\""
                                + csr(dir, newDevice) + "\",\"profile\":\"idevid\",\"acceptedAt\":\"" + now
                                + "\",\"serial\":\"" + FORGED_SERIAL + "\"}",
                "imprint.crl.sign-requested.v1",
                        "{\"requestId\":\"" + requestId + "\",\"issuer\":\"" + issuer
                                + "\",\"crlNumber\":999999,\"thisUpdate\":\"" + now + "\",\"nextUpdate\":\""
                                + Instant.now().plus(Duration.ofDays(30)) + "\",\"entries\":[]}",
                "imprint.cert.issued.v1",
                        "{\"requestId\":\"" + requestId + "\",\"deviceId\":\"" + genuineDevice
                                + "\",\"factoryId\":\"" + FACTORY + "\",\"stationId\":\"" + STATION
                                + "\",\"orderId\":\"" + order
                                + "\",\"serialNumber\":\"" + serial + "\",\"issuer\":\"" + issuer
                                + "\",\"notBefore\":\"" + now
                                + "\",\"notAfter\":\"" + now + "\",\"certificate\":\"" + pem + "\",\"chain\":\"" + pem
                                + "\",\"issuedAt\":\"" + now + "\"}",
                "imprint.cert.revoked.v1",
                        "{\"requestId\":\"" + requestId + "\",\"serialNumber\":\"" + serial(genuine)
                                + "\",\"issuer\":\"" + issuer + "\",\"deviceId\":\"" + genuineDevice
                                + "\",\"reason\":\"KEY_COMPROMISE\",\"revokedAt\":\"" + now
                                + "\",\"revokedBy\":\"operator\"}");
        Map<String, Path> files = new java.util.TreeMap<>();
        for (Map.Entry<String, String> record : json.entrySet()) {
            Path file = dir.resolve(record.getKey() + ".json");
            Files.writeString(file, record.getValue());
            files.put(record.getKey(), file);
        }
        return new Forgeries(requestId, serial, genuineDevice, serial(genuine), newDevice, files);
    }

    /** audit's counts once every consumer has read everything published so far. */
    private String auditOnceCaughtUp() throws IOException {
        suite.awaitConsumersCaughtUp(Duration.ofMinutes(1));
        return get(suite.operatorUrl("audit", "/audit/summary"));
    }

    private void assertNothingChanged(Forgeries forged, String auditBefore) throws Exception {
        String issued = Shell.ok(
                work,
                suite.env,
                kcat(
                                suite.kcatAs("sre"),
                                "-C",
                                "-t",
                                "imprint.cert.issued.v1",
                                "-o",
                                "beginning",
                                "-e",
                                "-q",
                                "-X",
                                "isolation.level=read_committed")
                        .toArray(String[]::new));
        // Only the forged cert.issued itself (published past the ACLs) may carry the forged request id.
        assertTrue(
                issued.lines()
                        .filter(l -> l.contains(forged.requestId()))
                        .allMatch(l -> l.contains("\"serialNumber\":\"" + forged.serial() + "\"")),
                "the CA signed nothing forged");
        assertFalse(issued.contains(FORGED_SERIAL), "no certificate with the serial the forger chose");
        assertFalse(
                issued.contains("\"deviceId\":\"" + forged.newDevice() + "\""),
                "no certificate for the made-up device");
        HttpResponse<String> genuine = send(HttpRequest.newBuilder(
                        URI.create(suite.operatorUrl("revocation", "/revocations/" + forged.genuineSerial())))
                .build());
        assertEquals(
                404, genuine.statusCode(), "the genuine certificate was not revoked or superseded: " + genuine.body());
        String device = get(suite.operatorUrl("fleet-registry", "/devices/" + forged.genuineDevice()));
        assertTrue(device.contains("\"status\":\"provisioned\"") && device.contains(forged.genuineSerial()), device);
        assertEquals(
                404,
                send(HttpRequest.newBuilder(URI.create(
                                        suite.operatorUrl("fleet-registry", "/devices/" + forged.newDevice())))
                                .build())
                        .statusCode());
        assertEquals(auditBefore, auditOnceCaughtUp(), "audit logged nothing forged");
        assertTrue(get(suite.operatorUrl("audit", "/audit/verify")).contains("\"intact\":true"));
        String crl = awaitCrlListing(deviceCertificates.get(0));
        assertFalse(crl.contains("999999"), "the forged CRL number was never signed:\n" + crl);
    }

    /**
     * Waits until the CRLs a relying party finds from the certificate (its partition's full CRL and delta CRL)
     * list its serial; their text, as openssl prints it.
     */
    private String awaitCrlListing(Path certificate) throws Exception {
        String serial = serial(certificate);
        List<String> urls = new ArrayList<>(List.of(crlUrl(certificate, "crlDistributionPoints")));
        deltaCrlUrl(certificate).ifPresent(urls::add);
        String crlText = "";
        Instant deadline = Instant.now().plusSeconds(60);
        while (Instant.now().isBefore(deadline) && !listed(crlText, serial)) {
            StringBuilder text = new StringBuilder();
            for (String url : urls) {
                Path crl = work.resolve("crl.der");
                HttpResponse<Path> download = http.send(
                        HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofFile(crl));
                if (download.statusCode() == 200) {
                    text.append(Shell.ok(
                            suite.root,
                            suite.env,
                            "openssl",
                            "crl",
                            "-inform",
                            "DER",
                            "-in",
                            crl.toString(),
                            "-noout",
                            "-text",
                            "-CAfile",
                            certs.resolve("ca-chain.pem").toString()));
                }
            }
            crlText = text.toString();
            if (!listed(crlText, serial)) {
                Thread.sleep(250);
            }
        }
        assertTrue(listed(crlText, serial), "revoked serial in the CRLs at " + urls + ":\n" + crlText);
        return crlText;
    }

    /** Reads a topic from the beginning with kcat until a record mentions {@code text}; returns its line. */
    private String awaitLine(List<String> tls, String topic, String text) throws InterruptedException {
        String output = "";
        Instant deadline = Instant.now().plusSeconds(60);
        while (Instant.now().isBefore(deadline)) {
            output = Shell.ok(
                    work,
                    suite.env,
                    kcat(
                                    tls,
                                    "-C",
                                    "-t",
                                    topic,
                                    "-o",
                                    "beginning",
                                    "-e",
                                    "-q",
                                    "-X",
                                    "isolation.level=read_committed",
                                    "-f",
                                    "%h %s\\n")
                            .toArray(String[]::new));
            for (String line : output.lines().toList()) {
                if (line.contains(text)) {
                    return line;
                }
            }
            Thread.sleep(250);
        }
        throw new AssertionError("nothing on " + topic + " mentions " + text + ":\n" + output);
    }

    private List<String> kcat(List<String> tls, String... args) {
        List<String> command = new ArrayList<>(List.of("kcat", "-b", suite.bootstrap()));
        command.addAll(tls);
        command.addAll(List.of(args));
        return command;
    }

    private String csr(Path dir, String device) throws IOException {
        Path key = dir.resolve(device + ".key");
        Path csr = dir.resolve(device + ".csr");
        Shell.ok(
                dir,
                suite.env,
                "openssl",
                "ecparam",
                "-name",
                "prime256v1",
                "-genkey",
                "-noout",
                "-out",
                key.toString());
        Shell.ok(
                dir,
                suite.env,
                "openssl",
                "req",
                "-new",
                "-key",
                key.toString(),
                "-subj",
                "/CN=" + device + "/serialNumber=" + device,
                "-out",
                csr.toString());
        return Files.readString(csr).replace("\n", "\\n");
    }

    private String serial(Path certificate) {
        return Shell.ok(suite.root, suite.env, "openssl", "x509", "-in", certificate.toString(), "-noout", "-serial")
                .strip()
                .substring("serial=".length())
                .toLowerCase(Locale.ROOT)
                .replaceFirst("^0+", "");
    }

    private String get(String url) throws IOException {
        return send(HttpRequest.newBuilder(URI.create(url)).build()).body();
    }

    private static boolean listed(String crlText, String serial) {
        return crlText.lines()
                .map(String::strip)
                .filter(l -> l.startsWith("Serial Number:"))
                .map(l -> l.substring("Serial Number:".length())
                        .strip()
                        .toLowerCase(Locale.ROOT)
                        .replaceFirst("^0+", ""))
                .anyMatch(serial::equals);
    }
}
