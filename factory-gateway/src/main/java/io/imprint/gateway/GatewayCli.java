package io.imprint.gateway;

import io.imprint.pki.cli.CliOptions;
import io.imprint.pki.signing.PemCredentials;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
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
    private GatewayCli() {}

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
                .mapToObj(i -> String.format("%s-%s-%05d", prefix, run, i))
                .toList();
        List<DeviceResult> results;
        long start = System.nanoTime();
        try (StationClient station = new StationClient(
                o.required("bootstrap"),
                StationFiles.load(Path.of(o.required("key")), Path.of(o.required("cert"))),
                brokerCa(o),
                o.required("factory"),
                o.required("station"))) {
            SecureElementSimulator elements = o.has("vendor")
                    ? new SecureElementSimulator(
                            SimulatedVendor.load(Path.of(o.required("vendor"))), o.get("secure-element", "ATECC608A"))
                    : new SecureElementSimulator();
            results = station.provision(
                    devices,
                    o.required("order"),
                    elements,
                    Duration.ofSeconds(Long.parseLong(o.get("timeout-seconds", "120"))));
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        Path out = o.has("out") ? Files.createDirectories(Path.of(o.required("out"))) : null;
        for (DeviceResult r : results) {
            System.out.printf(
                    "%-24s %-9s %6s ms  %s%n",
                    r.deviceId(), r.outcome(), r.latencyMs() < 0 ? "-" : Long.toString(r.latencyMs()), r.detail());
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
    public record Summary(
            int devices, long issued, long rejected, long timedOut, long p50Ms, long p99Ms, double seconds) {
        static Summary of(List<DeviceResult> results, double seconds) {
            List<Long> latencies = new ArrayList<>(results.stream()
                    .filter(r -> r.latencyMs() >= 0)
                    .map(DeviceResult::latencyMs)
                    .sorted()
                    .toList());
            return new Summary(
                    results.size(),
                    results.stream()
                            .filter(r -> r.outcome().equals(DeviceResult.ISSUED))
                            .count(),
                    results.stream()
                            .filter(r -> r.outcome().equals(DeviceResult.REJECTED))
                            .count(),
                    results.stream()
                            .filter(r -> r.outcome().equals(DeviceResult.TIMED_OUT))
                            .count(),
                    percentile(latencies, 50),
                    percentile(latencies, 99),
                    seconds);
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
            return String.format(
                    "summary: devices=%d issued=%d rejected=%d timed_out=%d "
                            + "latency_p50=%dms latency_p99=%dms elapsed=%.2fs",
                    devices, issued, rejected, timedOut, p50Ms, p99Ms, seconds);
        }
    }
}
