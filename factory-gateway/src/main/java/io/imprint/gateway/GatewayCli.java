package io.imprint.gateway;

import io.imprint.contracts.events.CsrSubmittedV1;
import io.imprint.eventplane.KafkaTls;
import io.imprint.pki.attestation.SimulatedVendor;
import io.imprint.pki.cli.CliOptions;
import io.imprint.pki.keys.Pins;
import io.imprint.pki.keys.Pkcs11Config;
import io.imprint.pki.keys.Pkcs11KeyBackend;
import io.imprint.pki.signing.PemCredentials;
import io.imprint.pki.station.StationCredential;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.IntStream;

/**
 * The reference station's command line.
 *
 * <pre>
 * keygen    --key station.key --public-key station.pub.pem
 * provision --bootstrap HOST:PORT --key station.key --cert station.crt --broker-ca service-ca.pem --factory ID
 *           --station ID --order ID [--devices 100] [--prefix dev] [--timeout-seconds 120] [--out DIR]
 *           [--vendor DIR [--secure-element ATECC608A]]   (attest each element with a simulated vendor)
 * vendor-init --dir DIR   (a simulated secure-element vendor for the demo; kept if DIR holds one)
 * </pre>
 * provision exits 0 only when every device got a certificate.
 */
public final class GatewayCli {
    private GatewayCli() {
    }

    public static void main(String[] args) throws IOException, InterruptedException {
        if (args.length == 0) {
            usage();
        }
        try {
            CliOptions o = new CliOptions(args);
            switch (args[0]) {
                case "keygen" -> {
                    StationFiles.generateKey(Path.of(o.required("key")), Path.of(o.required("public-key")));
                    System.out.println("station key written to " + o.required("key") + "; enrol "
                            + o.required("public-key") + " with the station CA");
                }
                case "provision" -> System.exit(provision(o));
                case "bench-intake" -> benchIntake(o);
                case "bench-signer" -> benchSigner(o);
                case "vendor-init" -> {
                    Path dir = Path.of(o.required("dir"));
                    if (!Files.exists(dir.resolve("root.pem"))) {
                        new SimulatedVendor("Simulated Microchip").save(dir);
                    }
                    System.out.println("simulated vendor root: " + dir.resolve("root.pem"));
                }
                default -> usage();
            }
        } catch (IllegalArgumentException e) {
            System.err.println("factory-gateway: " + e.getMessage());
            System.exit(64);
        }
    }

    private static int provision(CliOptions o) throws IOException {
        int count = Integer.parseInt(o.get("devices", "100"));
        String prefix = o.get("prefix", "dev");
        String run = Long.toString(System.currentTimeMillis(), 36);
        List<String> devices = IntStream.rangeClosed(1, count)
                .mapToObj(i -> String.format("%s-%s-%05d", prefix, run, i)).toList();
        List<DeviceResult> results;
        long start = System.nanoTime();
        try (StationClient station = new StationClient(o.required("bootstrap"),
                StationFiles.load(Path.of(o.required("key")), Path.of(o.required("cert"))), brokerCa(o),
                o.required("factory"), o.required("station"))) {
            SecureElementSimulator elements = o.has("vendor")
                    ? new SecureElementSimulator(SimulatedVendor.load(Path.of(o.required("vendor"))),
                            o.get("secure-element", "ATECC608A"))
                    : new SecureElementSimulator();
            results = station.provision(devices, o.required("order"), elements,
                    Duration.ofSeconds(Long.parseLong(o.get("timeout-seconds", "120"))));
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        Path out = o.has("out") ? Files.createDirectories(Path.of(o.required("out"))) : null;
        for (DeviceResult r : results) {
            System.out.printf("%-24s %-9s %6s ms  %s%n", r.deviceId(), r.outcome(),
                    r.latencyMs() < 0 ? "-" : Long.toString(r.latencyMs()), r.detail());
            if (out != null && r.certificate() != null) {
                Files.writeString(out.resolve(r.deviceId() + ".pem"), r.certificate());
            }
        }
        Summary summary = Summary.of(results, seconds);
        System.out.println(summary);
        return summary.issued() == results.size() ? 0 : 1;
    }

    /** The service CA's certificate ({@code --broker-ca}): the broker's certificate must come from it. */
    private static X509Certificate brokerCa(CliOptions o) {
        return PemCredentials.certificates(Path.of(o.required("broker-ca"))).get(0);
    }

    /** Token from IMPRINT_HSM_LIBRARY, IMPRINT_HSM_SLOT_INDEX and IMPRINT_HSM_PIN(_FILE), as the ceremony takes it. */
    private static void benchSigner(CliOptions o) throws InterruptedException {
        int sessions = Integer.parseInt(o.get("sessions", "4"));
        int requests = Integer.parseInt(o.get("requests", "20000"));
        String library = System.getenv().getOrDefault("IMPRINT_HSM_LIBRARY", Pkcs11Config.SOFTHSM2.toString());
        Pkcs11KeyBackend token = new Pkcs11KeyBackend(new Pkcs11Config(Path.of(library),
                Integer.parseInt(System.getenv().getOrDefault("IMPRINT_HSM_SLOT_INDEX", "0"))),
                () -> Pins.read("IMPRINT_HSM_PIN"));
        SignerBenchmark bench = new SignerBenchmark(2000);
        System.out.printf("machine: %d cores; signer sessions/threads: %d%n",
                Runtime.getRuntime().availableProcessors(), sessions);
        double raw = bench.rawLoop(token, o.get("issuing-ca", "issuing-ca"), sessions);
        System.out.printf("(a) raw loop, CSR verify + build + lint + PKCS#11 sign + verify: %8.0f certificates/s%n", raw);
        System.out.printf("    CPU per certificate during (a): %.0f us (all cores busy)%n",
                Runtime.getRuntime().availableProcessors() * 1e6 / raw);
        // The load generator reads offsets and certificates as the administrator, and signs its requests as
        // csr-intake does: the signer takes csr.accepted from nobody else.
        Properties admin = KafkaTls.client(o.required("bootstrap"), Path.of(o.required("identity")),
                Path.of(o.required("broker-ca")));
        double signer = bench.signerProcess(admin, PemCredentials.service(Path.of(o.required("intake-identity"))),
                requests, pids(o.get("cpu", "")));
        System.out.printf("(b) signer, csr.accepted -> committed cert.issued (%d requests): %8.0f certificates/s%n",
                requests, signer);
        double cfssl = bench.cfssl(o.required("cfssl"), sessions);
        System.out.printf("(c) cfssl serve, software key, HTTP /api/v1/cfssl/sign:       %8.0f certificates/s%n", cfssl);
        System.out.printf("ratios: b/a = %.2f (target >= 0.8), b/c = %.2f (target >= 1)%n", signer / raw,
                signer / cfssl);
    }

    /** {@code name=pid,name=pid}: processes whose CPU time the signer benchmark reports. */
    private static Map<String, Long> pids(String list) {
        Map<String, Long> pids = new LinkedHashMap<>();
        for (String entry : list.split(",")) {
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
                ? new SecureElementSimulator(SimulatedVendor.load(Path.of(o.required("vendor"))),
                        o.get("secure-element", "ATECC608A"))
                : new SecureElementSimulator();
        StationCredential station = StationFiles.load(Path.of(o.required("key")), Path.of(o.required("cert")));
        String run = Long.toString(System.currentTimeMillis(), 36);
        System.out.printf("preparing %d attested submissions ...%n", requests + requests / 10);
        List<CsrSubmittedV1> warmup = IntakeBenchmark.submissions(requests / 10, "warm-" + run, o.required("factory"),
                o.required("station"), o.required("order"), elements);
        List<CsrSubmittedV1> measured = IntakeBenchmark.submissions(requests, "bench-" + run, o.required("factory"),
                o.required("station"), o.required("order"), elements);
        double verify1 = IntakeBenchmark.rawVerifyRate(1, Duration.ofSeconds(5));
        double verifyN = IntakeBenchmark.rawVerifyRate(threads, Duration.ofSeconds(5));
        Properties asStation = KafkaTls.client(o.required("bootstrap"), station.key(), station.chain(), brokerCa(o));
        Properties reader = KafkaTls.client(o.required("bootstrap"), Path.of(o.required("reader-identity")),
                Path.of(o.required("broker-ca")));
        IntakeBenchmark.run(asStation, reader, station, warmup, Duration.ofMinutes(5));
        IntakeBenchmark.Result result = IntakeBenchmark.run(asStation, reader, station, measured,
                Duration.ofMinutes(10));
        System.out.printf("raw ECDSA P-256 verify (BouncyCastle): %.0f/s on 1 thread, %.0f/s on %d threads%n",
                verify1, verifyN, threads);
        System.out.printf("intake, all checks on: %d requests (%d accepted) in %.2f s = %.0f requests/s%n",
                result.requests(), result.accepted(), result.seconds(), result.perSecond());
        System.out.printf("ratio: intake / raw verify (%d threads) = %.3f; each request costs 3 ECDSA verifications"
                + " (station signature, CSR proof of possession, vendor device certificate) + 1 for the vendor"
                + " signer CA; the ceiling is about 0.25%n", threads, result.perSecond() / verifyN);
    }

    private static void usage() {
        System.err.println("usage: factory-gateway keygen --key FILE --public-key FILE\n"
                + "       factory-gateway provision --bootstrap HOST:PORT --key FILE --cert FILE --broker-ca FILE"
                + " --factory ID --station ID --order ID [--devices 100] [--prefix dev] [--timeout-seconds 120]"
                + " [--out DIR]"
                + " [--vendor DIR [--secure-element TYPE]]\n"
                + "       factory-gateway vendor-init --dir DIR");
        System.exit(64);
    }

    /** Counts and latency percentiles of one provisioning run. */
    public record Summary(int devices, long issued, long rejected, long timedOut, long p50Ms, long p99Ms,
            double seconds) {
        static Summary of(List<DeviceResult> results, double seconds) {
            List<Long> latencies = new ArrayList<>(results.stream().filter(r -> r.latencyMs() >= 0)
                    .map(DeviceResult::latencyMs).sorted().toList());
            return new Summary(results.size(),
                    results.stream().filter(r -> r.outcome().equals(DeviceResult.ISSUED)).count(),
                    results.stream().filter(r -> r.outcome().equals(DeviceResult.REJECTED)).count(),
                    results.stream().filter(r -> r.outcome().equals(DeviceResult.TIMED_OUT)).count(),
                    percentile(latencies, 50), percentile(latencies, 99), seconds);
        }

        /** Nearest-rank percentile; -1 when there is no sample. */
        static long percentile(List<Long> sorted, int p) {
            if (sorted.isEmpty()) {
                return -1;
            }
            int rank = (int) Math.ceil(p / 100.0 * sorted.size());
            return sorted.get(Math.max(0, rank - 1));
        }

        @Override
        public String toString() {
            return String.format("summary: devices=%d issued=%d rejected=%d timed_out=%d "
                    + "latency_p50=%dms latency_p99=%dms elapsed=%.2fs", devices, issued, rejected, timedOut, p50Ms,
                    p99Ms, seconds);
        }
    }
}
