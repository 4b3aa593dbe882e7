package io.imprint.benchmarks;

import io.imprint.contracts.EventCodec;
import io.imprint.contracts.EventType;
import io.imprint.contracts.events.CertIssuedV1;
import io.imprint.pki.audit.AuditChain;
import io.imprint.pki.audit.MerkleTree;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;

/**
 * A large audit log and what reading it back costs: fills the log of a running audit service straight into its
 * database (COPY, continuing its chain and tree exactly as audit appends; audit's own append path is measured by
 * bench-consumers), then times audit's full verification against a plain read of the same rows, the first
 * checkpoint over all of it, and inclusion proofs against a lookup of the same certificates.
 */
final class AuditLogBenchmark {
    private static final String ISSUED = EventType.CERT_ISSUED.ceType();
    private static final int COPY_BATCH = 10_000;
    private final String jdbcUrl;
    private final String user;
    private final String password;
    private final String audit;
    private final HttpClient http = HttpClient.newHttpClient();

    AuditLogBenchmark(String jdbcUrl, String user, String password, String audit) {
        this.jdbcUrl = jdbcUrl;
        this.user = user;
        this.password = password;
        this.audit = audit;
    }

    /** Appends {@code count} issued certificates to the log; returns their serials. */
    List<String> fill(int count) throws SQLException {
        // Certificates and chains of a device's usual size, so rows weigh what real ones do.
        SecureRandom random = new SecureRandom();
        String certificate = pem(random, 640);
        String chain = pem(random, 1300);
        String run = Long.toString(System.currentTimeMillis(), 36);
        List<String> serials = new ArrayList<>(count);
        try (Connection db = DriverManager.getConnection(jdbcUrl, user, password)) {
            db.setAutoCommit(false);
            long lastId;
            long leaf;
            String previous;
            try (Statement s = db.createStatement();
                    ResultSet last = s.executeQuery(
                            "SELECT id, leaf_index, hash FROM audit.audit_record ORDER BY id DESC LIMIT 1")) {
                boolean any = last.next();
                lastId = any ? last.getLong(1) : 0;
                leaf = any ? last.getLong(2) + 1 : 0;
                previous = any ? last.getString(3) : AuditChain.GENESIS;
            }
            Instant now = Instant.now();
            StringBuilder rows = new StringBuilder();
            CopyIn copy = ((PGConnection) db.unwrap(PGConnection.class))
                    .getCopyAPI()
                    .copyIn("COPY audit.audit_record (id, event_type, request_id, device_id, serial_number,"
                            + " factory_id, station_id, order_id, occurred_at, recorded_at, payload, previous_hash,"
                            + " hash, leaf_index, leaf_hash) FROM STDIN WITH (FORMAT csv)");
            for (int i = 0; i < count; i++) {
                byte[] serialBytes = new byte[16];
                random.nextBytes(serialBytes);
                serialBytes[0] &= 0x7f;
                String serial = HexFormat.of().formatHex(serialBytes);
                serials.add(serial);
                Instant at = now.plusMillis(i);
                CertIssuedV1 issued = new CertIssuedV1(
                        "bench-" + run + "-" + i,
                        "dev-" + run + "-" + i,
                        "factory-bench",
                        "station-bench",
                        "order-bench-" + run,
                        serial,
                        "CN=Imprint Device Issuing CA",
                        at,
                        at.plus(Duration.ofDays(3650)),
                        certificate,
                        chain,
                        at,
                        "sensor-v2",
                        "ATECC608A");
                String payload = new String(EventCodec.encode(issued), StandardCharsets.UTF_8);
                String hash = AuditChain.link(previous, ISSUED, payload);
                String leafHash = HexFormat.of().formatHex(MerkleTree.leafHash(AuditChain.leafEntry(ISSUED, payload)));
                rows.append(lastId + 1 + i).append(',');
                rows.append(ISSUED).append(',');
                rows.append(issued.requestId()).append(',');
                rows.append(issued.deviceId()).append(',');
                rows.append(serial).append(',');
                rows.append(issued.factoryId()).append(',');
                rows.append(issued.stationId()).append(',');
                rows.append(issued.orderId()).append(',');
                rows.append(at).append(',');
                rows.append(now).append(',');
                rows.append('"')
                        .append(payload.replace("\"", "\"\""))
                        .append('"')
                        .append(',');
                rows.append(previous).append(',');
                rows.append(hash).append(',');
                rows.append(leaf + i).append(',');
                rows.append(leafHash).append('\n');
                previous = hash;
                if ((i + 1) % COPY_BATCH == 0 || i == count - 1) {
                    byte[] bytes = rows.toString().getBytes(StandardCharsets.UTF_8);
                    copy.writeToCopy(bytes, 0, bytes.length);
                    rows.setLength(0);
                }
            }
            copy.endCopy();
            try (Statement s = db.createStatement()) {
                s.execute("SELECT setval('audit.audit_record_seq', " + (lastId + count) + ")");
                s.execute("ANALYZE audit.audit_record");
            }
            db.commit();
        }
        return serials;
    }

    /** The baseline: every row of the log read once, in log order, by one client, discarded. Returns rows. */
    long plainRead() throws SQLException {
        try (Connection db = DriverManager.getConnection(jdbcUrl, user, password)) {
            Counting out = new Counting();
            ((PGConnection) db.unwrap(PGConnection.class))
                    .getCopyAPI()
                    .copyOut("COPY (SELECT * FROM audit.audit_record ORDER BY id) TO STDOUT", out);
            return out.lines;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** GET or POST to audit; the body, or an exception naming the status. */
    String call(String method, String path) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(audit + path))
                .method(method, HttpRequest.BodyPublishers.noBody())
                .timeout(Duration.ofMinutes(30))
                .build();
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IllegalStateException(
                        method + " " + path + ": " + response.statusCode() + " " + response.body());
            }
            return response.body();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Latencies of one call per serial, in microseconds, sorted. */
    long[] latencies(List<String> serials, String pathTemplate) {
        long[] micros = new long[serials.size()];
        for (int i = 0; i < serials.size(); i++) {
            long start = System.nanoTime();
            call("GET", String.format(Locale.ROOT, pathTemplate, serials.get(i)));
            micros[i] = (System.nanoTime() - start) / 1_000;
        }
        Arrays.sort(micros);
        return micros;
    }

    static long percentile(long[] sorted, double p) {
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p * sorted.length) - 1)];
    }

    /** CPU each watched process (with its children) used since {@code before}. */
    static Map<String, Duration> cpuSince(Map<String, Duration> before, Map<String, ProcessHandle> watched) {
        Map<String, Duration> used = SignerBenchmark.cpu(watched);
        used.replaceAll((name, after) -> after.minus(before.get(name)));
        return used;
    }

    private static String pem(SecureRandom random, int derLength) {
        byte[] der = new byte[derLength];
        random.nextBytes(der);
        return "-----BEGIN CERTIFICATE-----\n"
                + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
                + "\n-----END CERTIFICATE-----\n";
    }

    /** Counts lines written to it, keeping none. */
    private static final class Counting extends OutputStream {
        long lines;

        @Override
        public void write(int b) {
            if (b == '\n') {
                lines++;
            }
        }

        @Override
        public void write(byte[] b, int off, int len) {
            for (int i = off; i < off + len; i++) {
                if (b[i] == '\n') {
                    lines++;
                }
            }
        }
    }
}
