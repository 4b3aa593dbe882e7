package io.imprint.benchmarks;

import io.imprint.contracts.events.CsrSubmittedV1;
import io.imprint.eventplane.KafkaTls;
import io.imprint.gateway.SecureElementSimulator;
import io.imprint.gateway.SimulatedVendor;
import io.imprint.gateway.StationFiles;
import io.imprint.pki.VerifyingProvider;
import io.imprint.pki.cli.CliOptions;
import io.imprint.pki.keys.Pins;
import io.imprint.pki.keys.Pkcs11Config;
import io.imprint.pki.keys.Pkcs11KeyBackend;
import io.imprint.pki.signing.PemCredentials;
import io.imprint.pki.station.StationCredential;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * The load commands behind {@code deploy/local/bench-intake.sh}, {@code bench-signer.sh},
 * {@code bench-consumers.sh}, {@code bench-audit-log.sh}, {@code bench-crl.sh} and {@code bench-e2e.sh}
 * ({@link EndToEndCommand}); they print figures and ratios against a baseline measured in the same run. Not shipped with the gateway.
 *
 * <pre>
 * bench-intake --bootstrap HOST:PORT --key station.key --cert station.crt --broker-ca FILE --reader-identity FILE
 *              --factory ID --station ID --order ID [--requests 2000] [--vendor DIR [--secure-element TYPE]]
 * bench-signer --bootstrap HOST:PORT --identity FILE --broker-ca FILE --intake-identity FILE --cfssl URL
 *              [--requests 20000] [--sessions 4] [--issuing-ca ALIAS] [--cpu name=pid,...]
 * bench-consumers --bootstrap HOST:PORT --identity FILE --broker-ca FILE --intake-identity FILE --audit URL
 *              --fleet URL [--requests 10000] [--cpu name=pid,...]
 * bench-audit-log --jdbc URL --db-user NAME [--db-password PW] --audit URL [--entries 1000000] [--proofs 1000]
 *              [--cpu name=pid,...]
 * bench-crl --openssl-index FILE [--revocations 1000000] [--shards 256] [--threads CORES] [--rounds 3]
 *              [--issuing-ca ALIAS]
 * </pre>
 */
public final class BenchmarkCli {
    private BenchmarkCli() {}

    public static void main(String[] args) throws InterruptedException {
        if (args.length == 0
                || !List.of(
                                "bench-intake",
                                "bench-signer",
                                "bench-consumers",
                                "bench-audit-log",
                                "bench-e2e",
                                "bench-crl")
                        .contains(args[0])) {
            System.err.println("usage: benchmarks bench-intake ... | bench-signer ... | bench-consumers ..."
                    + " | bench-audit-log ... | bench-e2e ... | bench-crl ... (see deploy/local/bench-*.sh)");
            System.exit(64);
        }
        try {
            CliOptions o = new CliOptions(args);
            if (args[0].equals("bench-intake")) {
                benchIntake(o);
            } else if (args[0].equals("bench-consumers")) {
                benchConsumers(o);
            } else if (args[0].equals("bench-audit-log")) {
                benchAuditLog(o);
            } else if (args[0].equals("bench-crl")) {
                CrlShardsCommand.run(o, token());
            } else if (args[0].equals("bench-e2e")) {
                EndToEndCommand.run(o, EndToEndCommand.watched(pids(o.get("cpu", ""))));
            } else {
                benchSigner(o);
            }
        } catch (IllegalArgumentException e) {
            System.err.println(args[0] + ": " + e.getMessage());
            System.exit(64);
        } catch (InterruptedException e) {
            throw e;
        } catch (Exception e) {
            System.err.println(args[0] + ": " + e);
            System.exit(1);
        }
    }

    /** Token from IMPRINT_HSM_LIBRARY, IMPRINT_HSM_SLOT_INDEX and IMPRINT_HSM_PIN(_FILE), as the ceremony takes it. */
    private static Pkcs11KeyBackend token() {
        String library = System.getenv().getOrDefault("IMPRINT_HSM_LIBRARY", Pkcs11Config.SOFTHSM2.toString());
        return new Pkcs11KeyBackend(
                new Pkcs11Config(
                        Path.of(library),
                        Integer.parseInt(System.getenv().getOrDefault("IMPRINT_HSM_SLOT_INDEX", "0"))),
                () -> Pins.read("IMPRINT_HSM_PIN"));
    }

    private static void benchSigner(CliOptions o) throws InterruptedException {
        int sessions = Integer.parseInt(o.get("sessions", "4"));
        int requests = Integer.parseInt(o.get("requests", "20000"));
        Pkcs11KeyBackend token = token();
        SignerBenchmark bench = new SignerBenchmark(2000);
        System.out.printf(
                "machine: %d cores; signer sessions/threads: %d%n",
                Runtime.getRuntime().availableProcessors(), sessions);
        double raw = bench.rawLoop(token, o.get("issuing-ca", "issuing-ca"), sessions);
        System.out.printf(
                "(a) raw loop, CSR verify + build + lint + PKCS#11 sign + verify: %8.0f certificates/s%n", raw);
        System.out.printf(
                "    CPU per certificate during (a): %.0f us (all cores busy)%n",
                Runtime.getRuntime().availableProcessors() * 1e6 / raw);
        // The load generator reads offsets and certificates as the administrator, and signs its requests as
        // csr-intake does: the signer takes csr.accepted from nobody else.
        Properties admin = KafkaTls.client(
                o.required("bootstrap"), Path.of(o.required("identity")), Path.of(o.required("broker-ca")));
        double signer = bench.signerProcess(
                admin,
                PemCredentials.service(Path.of(o.required("intake-identity"))),
                requests,
                pids(o.get("cpu", "")));
        System.out.printf(
                "(b) signer, csr.accepted -> committed cert.issued (%d requests): %8.0f certificates/s%n",
                requests, signer);
        double cfssl = bench.cfssl(o.required("cfssl"), sessions);
        System.out.printf(
                "(c) cfssl serve, software key, HTTP /api/v1/cfssl/sign:       %8.0f certificates/s%n", cfssl);
        System.out.printf(
                "ratios: b/a = %.2f (target >= 0.8), b/c = %.2f (target >= 1)%n", signer / raw, signer / cfssl);
    }

    /**
     * Two warm-up bursts (the consumers' JIT, a first poll of each size), then one measured burst: the signer's rate
     * is the baseline each consumer is held to.
     */
    private static void benchConsumers(CliOptions o) {
        int requests = Integer.parseInt(o.get("requests", "10000"));
        int warmUp = Math.min(requests, 2000);
        Properties admin = KafkaTls.client(
                o.required("bootstrap"), Path.of(o.required("identity")), Path.of(o.required("broker-ca")));
        var intake = PemCredentials.service(Path.of(o.required("intake-identity")));
        ConsumersBenchmark bench =
                new ConsumersBenchmark(requests + 2 * warmUp, o.required("audit"), o.required("fleet"));
        System.out.printf("machine: %d cores%n", Runtime.getRuntime().availableProcessors());
        for (int round = 1; round <= 2; round++) {
            ConsumersBenchmark.Finish w = bench.burst(admin, intake, warmUp, Map.of());
            System.out.printf(
                    "    warm-up burst %d (%d): signer %.1f s, audit %.1f s, fleet %.1f s, device.state %.1f s%n",
                    round, warmUp, w.signer(), w.audit(), w.fleet(), w.fleetPublished());
        }
        Map<String, ProcessHandle> watched = new LinkedHashMap<>();
        pids(o.get("cpu", "")).forEach((name, pid) -> ProcessHandle.of(pid).ifPresent(h -> watched.put(name, h)));
        ConsumersBenchmark.Finish f = bench.burst(admin, intake, requests, watched);
        double signer = requests / f.signer();
        double audit = requests / f.audit();
        double fleet = requests / f.fleet();
        double published = requests / f.fleetPublished();
        System.out.printf("%d certificates, committed at once as a backlog:%n", requests);
        System.out.printf(
                "  signer, all committed after      %6.2f s = %6.0f certificates/s (baseline)%n", f.signer(), signer);
        System.out.printf(
                "  audit, all logged after          %6.2f s = %6.0f appends/s       ratio %.2f%n",
                f.audit(), audit, audit / signer);
        System.out.printf(
                "  fleet-registry, all registered   %6.2f s = %6.0f devices/s       ratio %.2f%n",
                f.fleet(), fleet, fleet / signer);
        System.out.printf(
                "  fleet-registry, device.state out %6.2f s = %6.0f events/s        ratio %.2f%n",
                f.fleetPublished(), published, published / signer);
        System.out.printf(
                "  when the signer had committed its last: audit %d behind, fleet-registry %d behind (of %d)%n",
                f.auditBehindAtSignerEnd(), f.fleetBehindAtSignerEnd(), requests);
        StringBuilder line = new StringBuilder("  CPU per certificate:");
        f.cpu()
                .forEach((name, used) ->
                        line.append(String.format(" %s %.0f us,", name, used.toNanos() / 1e3 / requests)));
        System.out.println(line.substring(0, line.length() - 1));
    }

    /**
     * A log of {@code entries} records: its full verification and its reconciliation against a plain read of the
     * same rows (the baseline), the first checkpoint over it, and inclusion-proof latency against a lookup of the
     * same certificate.
     */
    private static void benchAuditLog(CliOptions o) {
        int entries = Integer.parseInt(o.get("entries", "1000000"));
        int proofs = Integer.parseInt(o.get("proofs", "1000"));
        AuditLogBenchmark bench = new AuditLogBenchmark(
                o.required("jdbc"), o.required("db-user"), o.get("db-password", ""), o.required("audit"));
        Map<String, ProcessHandle> watched = new LinkedHashMap<>();
        pids(o.get("cpu", "")).forEach((name, pid) -> ProcessHandle.of(pid).ifPresent(h -> watched.put(name, h)));
        System.out.printf("machine: %d cores%n", Runtime.getRuntime().availableProcessors());
        List<String> serials;
        long start = System.nanoTime();
        try {
            serials = bench.fill(entries);
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException("cannot fill the log: " + e.getMessage(), e);
        }
        System.out.printf(
                "filled: %d entries appended to the log in %.1f s (COPY, chained as audit chains them)%n",
                entries, seconds(start));
        long rows;
        double read;
        try {
            bench.plainRead(); // both runs below read from warm caches
            start = System.nanoTime();
            rows = bench.plainRead();
            read = seconds(start);
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException("cannot read the log: " + e.getMessage(), e);
        }
        System.out.printf(
                "(a) plain read of all %d rows, in log order (COPY TO STDOUT): %7.2f s (baseline)%n", rows, read);
        Map<String, Duration> before = SignerBenchmark.cpu(watched);
        start = System.nanoTime();
        String report = bench.call("GET", "/audit/verify");
        double verify = seconds(start);
        Map<String, Duration> verifyCpu = AuditLogBenchmark.cpuSince(before, watched);
        if (!report.contains("\"intact\":true")) {
            throw new IllegalStateException("the filled log does not verify: " + report);
        }
        System.out.printf(
                "(b) GET /audit/verify, every hash, leaf and column of %d rows:  %7.2f s = %.0f entries/s,"
                        + " b/a = %.1f%n",
                rows, verify, rows / verify, verify / read);
        StringBuilder cpu = new StringBuilder("    CPU per entry during (b):");
        verifyCpu.forEach((name, used) -> cpu.append(String.format(" %s %.1f us,", name, used.toNanos() / 1e3 / rows)));
        System.out.println(cpu.substring(0, cpu.length() - 1));
        start = System.nanoTime();
        bench.call("POST", "/audit/checkpoints");
        System.out.printf(
                "(c) POST /audit/checkpoints, first over the whole log (reads every leaf hash once): %.2f s%n",
                seconds(start));
        start = System.nanoTime();
        bench.call("GET", "/audit/verify");
        System.out.printf(
                "    GET /audit/verify again, now also against that checkpoint:       %.2f s%n", seconds(start));
        java.util.Collections.shuffle(serials);
        List<String> sample = serials.subList(0, Math.min(proofs, serials.size()));
        bench.latencies(sample.subList(0, Math.min(100, sample.size())), "/audit/proofs/inclusion?serial=%s");
        bench.latencies(sample.subList(0, Math.min(100, sample.size())), "/audit/certificates/%s");
        long[] lookup = bench.latencies(sample, "/audit/certificates/%s");
        long[] inclusion = bench.latencies(sample, "/audit/proofs/inclusion?serial=%s");
        System.out.printf(
                "(d) GET /audit/certificates/{serial}, one client, %d serials:        p50 %5d us, p99 %6d us (baseline)%n",
                sample.size(), AuditLogBenchmark.percentile(lookup, 0.5), AuditLogBenchmark.percentile(lookup, 0.99));
        System.out.printf(
                "(e) GET /audit/proofs/inclusion?serial=, same serials, tree of %d:  p50 %5d us, p99 %6d us,"
                        + " e/d at p50 = %.2f%n",
                rows,
                AuditLogBenchmark.percentile(inclusion, 0.5),
                AuditLogBenchmark.percentile(inclusion, 0.99),
                (double) AuditLogBenchmark.percentile(inclusion, 0.5) / AuditLogBenchmark.percentile(lookup, 0.5));
        start = System.nanoTime();
        bench.call("GET", "/audit/reconciliation.csv");
        double reconciliation = seconds(start);
        System.out.printf(
                "(f) GET /audit/reconciliation.csv, the whole log reconciled:         %7.2f s, f/a = %.1f%n",
                reconciliation, reconciliation / read);
        start = System.nanoTime();
        long lines = bench.call("GET", "/audit/reconciliation/discrepancies.csv")
                .lines()
                .count();
        System.out.printf(
                "(g) GET /audit/reconciliation/discrepancies.csv, %d lines streamed: %7.2f s%n", lines, seconds(start));
    }

    private static double seconds(long since) {
        return (System.nanoTime() - since) / 1e9;
    }

    /** {@code name=pid,name=pid}: processes whose CPU time the signer benchmark reports. */
    private static Map<String, Long> pids(String list) {
        Map<String, Long> pids = new LinkedHashMap<>();
        for (String entry : list.split(",", -1)) {
            String[] pair = entry.split("=", 2);
            if (pair.length == 2 && pair[1].matches("\\d+")) {
                pids.put(pair[0], Long.parseLong(pair[1]));
            }
        }
        return pids;
    }

    private static void benchIntake(CliOptions o) throws InterruptedException {
        int requests = Integer.parseInt(o.get("requests", "2000"));
        int threads = Runtime.getRuntime().availableProcessors();
        SecureElementSimulator elements = o.has("vendor")
                ? new SecureElementSimulator(
                        SimulatedVendor.load(Path.of(o.required("vendor"))), o.get("secure-element", "ATECC608A"))
                : new SecureElementSimulator();
        StationCredential station = StationFiles.load(Path.of(o.required("key")), Path.of(o.required("cert")));
        String run = Long.toString(System.currentTimeMillis(), 36);
        System.out.printf("preparing %d attested submissions ...%n", requests + requests / 10);
        List<CsrSubmittedV1> warmup = IntakeBenchmark.submissions(
                requests / 10,
                "warm-" + run,
                o.required("factory"),
                o.required("station"),
                o.required("order"),
                elements);
        List<CsrSubmittedV1> measured = IntakeBenchmark.submissions(
                requests, "bench-" + run, o.required("factory"), o.required("station"), o.required("order"), elements);
        VerifyingProvider active = VerifyingProvider.active();
        VerifyingProvider reference = VerifyingProvider.bouncyCastle("baseline");
        double verify1 = IntakeBenchmark.rawVerifyRate(active, 1, Duration.ofSeconds(5));
        double verifyN = IntakeBenchmark.rawVerifyRate(active, threads, Duration.ofSeconds(5));
        double bcN = IntakeBenchmark.rawVerifyRate(reference, threads, Duration.ofSeconds(5));
        Properties asStation = KafkaTls.client(o.required("bootstrap"), station.key(), station.chain(), brokerCa(o));
        Properties reader = KafkaTls.client(
                o.required("bootstrap"), Path.of(o.required("reader-identity")), Path.of(o.required("broker-ca")));
        IntakeBenchmark.run(asStation, reader, station, warmup, Duration.ofMinutes(5));
        IntakeBenchmark.Result result =
                IntakeBenchmark.run(asStation, reader, station, measured, Duration.ofMinutes(10));
        System.out.printf(
                "raw ECDSA P-256 verify, %s: %.0f/s on 1 thread, %.0f/s on %d threads"
                        + " (BouncyCastle: %.0f/s on %d threads, native/BC %.2f)%n",
                active.description(), verify1, verifyN, threads, bcN, threads, verifyN / bcN);
        System.out.printf(
                "intake, all checks on: %d requests (%d accepted) in %.2f s = %.0f requests/s%n",
                result.requests(), result.accepted(), result.seconds(), result.perSecond());
        // Each attested request costs 4 ECDSA verifications: the station's signature, the CSR's proof of possession,
        // and path validation's two (vendor signer CA, device certificate); station and vendor CA checks are cached.
        double ceiling = verifyN / 4;
        System.out.printf(
                "crypto ceiling: raw verify (%d threads) / 4 verifications per request = %.0f requests/s;"
                        + " intake / ceiling = %.3f%n",
                threads, ceiling, result.perSecond() / ceiling);
    }

    /** The service CA's certificate ({@code --broker-ca}): the broker's certificate must come from it. */
    private static java.security.cert.X509Certificate brokerCa(CliOptions o) {
        return PemCredentials.certificates(Path.of(o.required("broker-ca"))).get(0);
    }
}
