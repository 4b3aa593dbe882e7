package io.imprint.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.imprint.gateway.DeviceResult;
import io.imprint.gateway.SecureElementSimulator;
import io.imprint.gateway.StationClient;
import io.imprint.gateway.StationFiles;
import io.imprint.testing.Shell;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The whole suite under hostile input: while a station provisions a burst of devices, another client sends
 * every endpoint of the five services malformed, oversized and nonsensical requests, and a thousand garbage
 * records go to the submission topic. Every submission is still decided, within a bound set by a burst
 * measured before the attack; every refusal is the documented JSON with a code; each garbage record costs
 * one log line; no raw path becomes a metrics label; and every service is still ready afterwards.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HostileInputSystemTest {
    private static final String FACTORY = "factory-hostile";
    private static final String STATION = "station-hostile";
    private static final int BURST = 40;
    private static final int GARBAGE_RECORDS = 1000;
    private static final List<String> SERVICES =
            List.of("csr-intake", "signer", "audit", "fleet-registry", "revocation");

    private final Suite suite = new Suite("hostile-input", 29492, 18480, Map.of());
    private String order;

    @BeforeAll
    void startSuite() throws IOException {
        suite.start();
        suite.enrolStation(FACTORY, STATION);
        order = "order-hostile-" + UUID.randomUUID();
        Response created = http(
                "csr-intake",
                "POST",
                "/orders",
                operator("csr-intake"),
                "{\"orderId\":\"" + order
                        + "\",\"factoryId\":\"" + FACTORY + "\",\"productModel\":\"sensor\",\"quantity\":" + (2 * BURST)
                        + ",\"notAfter\":\"" + Instant.now().plus(Duration.ofDays(1)) + "\"}");
        assertEquals(201, created.status, created.body);
    }

    @AfterAll
    void stopSuite() {
        suite.stop();
    }

    @Test
    void hostileInputToEveryEndpointNeverStallsASubmissionBurst() throws Exception {
        Duration usual = timedBurst("calm");
        publishGarbageRecords();
        AtomicBoolean stop = new AtomicBoolean();
        AtomicInteger sent = new AtomicInteger();
        List<String> problems = Collections.synchronizedList(new ArrayList<>());
        Runnable attack = () -> {
            while (!stop.get()) {
                for (Hostile request : hostileRequests()) {
                    checkRefusal(request, problems);
                    sent.incrementAndGet();
                }
            }
        };
        List<Thread> attackers = List.of(new Thread(attack), new Thread(attack));
        attackers.forEach(Thread::start);
        Duration underAttack;
        try {
            underAttack = timedBurst("attacked", usual.multipliedBy(3).plusSeconds(30));
        } finally {
            stop.set(true);
            for (Thread attacker : attackers) {
                attacker.join();
            }
        }
        assertTrue(sent.get() >= hostileRequests().size(), "the attack ran: " + sent.get() + " requests");
        assertEquals(List.of(), problems.stream().distinct().toList(), "refusals that are not the documented JSON");

        suite.awaitConsumersCaughtUp(Duration.ofMinutes(2));
        String log = Files.readString(suite.work.resolve("logs/csr-intake.log"));
        long quarantined = log.lines()
                .filter(l -> l.contains("quarantined a record of imprint.csr.submitted.v1"))
                .count();
        assertEquals(GARBAGE_RECORDS, quarantined, "one line per garbage record");
        assertFalse(log.lines().anyMatch(l -> l.startsWith("\tat ")), "no stack trace in the intake log");
        for (String service : SERVICES) {
            String metrics = http(service, "GET", "/q/metrics", null, null).body;
            assertFalse(metrics.contains("hostile-"), service + " took a raw request path as a metrics label");
            Response ready = http(service, "GET", "/q/health/ready", null, null);
            assertEquals(200, ready.status, service + " is not ready after the attack: " + ready.body);
        }
        System.out.printf(
                "burst of %d: %d ms calm, %d ms under %d hostile requests%n",
                BURST, usual.toMillis(), underAttack.toMillis(), sent.get());
    }

    /** Provisions a burst; every device must be issued within {@code deadline}. */
    private Duration timedBurst(String name, Duration deadline) throws IOException {
        List<String> ids = IntStream.range(0, BURST)
                .mapToObj(i -> name + "-" + UUID.randomUUID())
                .toList();
        Path dir = suite.stationDir(STATION);
        long start = System.nanoTime();
        List<DeviceResult> results;
        try (StationClient station = new StationClient(
                suite.bootstrap(),
                StationFiles.load(dir.resolve("station.key"), dir.resolve("station.crt")),
                suite.brokerCa(),
                FACTORY,
                STATION)) {
            results = station.provision(ids, order, new SecureElementSimulator(), deadline);
        }
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        for (DeviceResult result : results) {
            assertEquals(
                    DeviceResult.ISSUED,
                    result.outcome(),
                    name + " burst, " + result.deviceId() + ": " + result.detail());
        }
        return took;
    }

    private Duration timedBurst(String name) throws IOException {
        return timedBurst(name, Duration.ofMinutes(3));
    }

    private void publishGarbageRecords() throws IOException {
        Path garbage = suite.work.resolve("garbage.txt");
        StringBuilder lines = new StringBuilder();
        for (int i = 0; i < GARBAGE_RECORDS; i++) {
            lines.append(
                            i % 3 == 0
                                    ? "{\"requestId\":" + "[".repeat(200)
                                    : i % 3 == 1
                                            ? "\u0000\u0001garbage " + i
                                            : "{\"csr\":\"" + "A".repeat(2000) + "\"}")
                    .append('\n');
        }
        Files.writeString(garbage, lines);
        List<String> command = new ArrayList<>(List.of("kcat", "-b", suite.bootstrap()));
        command.addAll(suite.kcatAsStation(STATION));
        command.addAll(List.of("-P", "-t", "imprint.csr.submitted.v1", "-l", garbage.toString()));
        Shell.ok(suite.work, suite.env, command.toArray(String[]::new));
    }

    /** A request the service must refuse with a 4xx and the documented {"code","message"} JSON. */
    private record Hostile(
            String service, String method, String path, String authorization, String body, long declaredLength) {
        Hostile(String service, String method, String path, String authorization, String body) {
            this(service, method, path, authorization, body, -1);
        }
    }

    private List<Hostile> hostileRequests() {
        String intakeToken = operator("csr-intake");
        String revocationToken = operator("revocation");
        List<Hostile> requests = new ArrayList<>(List.of(
                new Hostile("csr-intake", "POST", "/orders", null, "{not json"),
                new Hostile("csr-intake", "POST", "/orders", intakeToken, "{not json"),
                new Hostile("csr-intake", "POST", "/orders", intakeToken, order("a".repeat(200_000))),
                new Hostile("csr-intake", "POST", "/orders", intakeToken, order("((a{1000}){1000}){1000}")),
                new Hostile("csr-intake", "POST", "/orders", intakeToken, "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[["),
                new Hostile("csr-intake", "GET", "/orders/%00", intakeToken, null),
                new Hostile("csr-intake", "POST", "/stations/revocations", intakeToken, "\"just a string\""),
                new Hostile("revocation", "POST", "/revocations", null, "{not json"),
                new Hostile("revocation", "POST", "/revocations", revocationToken, "{not json"),
                new Hostile("revocation", "GET", "/revocations/%00", null, null),
                new Hostile("audit", "GET", "/audit/certificates/%01%02", null, null),
                new Hostile("fleet-registry", "GET", "/devices/%00", null, null),
                new Hostile("csr-intake", "POST", "/orders", intakeToken, null, 50_000_000)));
        for (String service : SERVICES) {
            requests.add(new Hostile(service, "GET", "/hostile-" + UUID.randomUUID(), null, null));
            requests.add(new Hostile(service, "DELETE", "/hostile-" + UUID.randomUUID(), null, null));
            requests.add(new Hostile(service, "GET", "/" + "x".repeat(3000), null, null));
        }
        return requests;
    }

    private String order(String pattern) {
        return "{\"orderId\":\"po-" + UUID.randomUUID() + "\",\"factoryId\":\"" + FACTORY + "\",\"productModel\":\"x\","
                + "\"quantity\":1,\"notAfter\":\"2099-01-01T00:00:00Z\",\"deviceIdPattern\":\"" + pattern + "\"}";
    }

    private void checkRefusal(Hostile request, List<String> problems) {
        String what = request.method + " " + request.service + " " + abbreviated(request.path)
                + (request.body == null ? "" : " with " + abbreviated(request.body));
        try {
            Response response = request.declaredLength >= 0
                    ? raw(
                            request.service,
                            request.authorization,
                            request.method + " " + request.path + " HTTP/1.1\r\nHost: localhost\r\n"
                                    + "Content-Type: application/json\r\n"
                                    + "Content-Length: " + request.declaredLength + "\r\nConnection: close\r\n\r\n")
                    : http(request.service, request.method, request.path, request.authorization, request.body);
            boolean json = response.contentType.startsWith("application/json") && response.body.contains("\"code\":\"");
            if (response.status < 400 || response.status >= 500 || !json) {
                problems.add(what + " answered " + response.status + " " + response.contentType + " "
                        + abbreviated(response.body));
            }
        } catch (IOException e) {
            problems.add(what + " failed: " + e);
        }
    }

    /** Marks a request sent as the suite's operator: over the HTTPS port, with the operator's certificate. */
    private static String operator(String service) {
        return Suite.OPERATOR + "@" + service;
    }

    private record Response(int status, String contentType, String body) {}

    private Response http(String service, String method, String path, String authorization, String body)
            throws IOException {
        byte[] content = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
        String head = method + " " + path + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n"
                + (body == null ? "" : "Content-Type: application/json\r\nContent-Length: " + content.length + "\r\n")
                + "\r\n";
        return exchange(service, authorization, head.getBytes(StandardCharsets.US_ASCII), content);
    }

    private Response raw(String service, String operator, String head) throws IOException {
        return exchange(service, operator, head.getBytes(StandardCharsets.US_ASCII), new byte[0]);
    }

    /** HTTP/1.1 over a plain socket (TLS as the operator), so paths the JDK's client would refuse (a NUL, say) are sent as written. */
    private Response exchange(String service, String operator, byte[] head, byte[] body) throws IOException {
        URI base = URI.create(operator == null ? suite.url(service, "/") : suite.operatorUrl(service, "/"));
        try (Socket socket = operator == null
                ? new Socket()
                : suite.operatorTls().getSocketFactory().createSocket()) {
            socket.connect(new InetSocketAddress(base.getHost(), base.getPort()), 5000);
            socket.setSoTimeout(30_000);
            OutputStream out = socket.getOutputStream();
            out.write(head);
            out.write(body);
            out.flush();
            String response = new String(readAll(socket.getInputStream()), StandardCharsets.UTF_8);
            int headEnd = response.indexOf("\r\n\r\n");
            String headers = headEnd < 0 ? response : response.substring(0, headEnd);
            String contentType = headers.lines()
                    .filter(l -> l.toLowerCase(Locale.ROOT).startsWith("content-type:"))
                    .map(l -> l.substring("content-type:".length()).strip())
                    .findFirst()
                    .orElse("");
            int status = Integer.parseInt(headers.substring(9, 12));
            return new Response(status, contentType, headEnd < 0 ? "" : response.substring(headEnd + 4));
        }
    }

    private static byte[] readAll(InputStream in) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
            out.write(buffer, 0, n);
        }
        return out.toByteArray();
    }

    private static String abbreviated(String text) {
        return text.length() > 120 ? text.substring(0, 120) + "..." : text;
    }
}
