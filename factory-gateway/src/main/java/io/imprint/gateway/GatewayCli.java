package io.imprint.gateway;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * The reference station's command line.
 *
 * <pre>
 * keygen    --key station.key --public-key station.pub.pem
 * provision --bootstrap HOST:PORT --key station.key --cert station.crt --factory ID --station ID
 *           --order ID [--devices 100] [--prefix dev] [--timeout-seconds 120] [--out DIR]
 * </pre>
 * provision exits 0 only when every device got a certificate.
 */
public final class GatewayCli {
    private GatewayCli() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length == 0) {
            usage();
        }
        Map<String, String> o = options(args);
        switch (args[0]) {
            case "keygen" -> {
                StationFiles.generateKey(Path.of(required(o, "key")), Path.of(required(o, "public-key")));
                System.out.println("station key written to " + o.get("key") + "; enrol " + o.get("public-key")
                        + " with the station CA");
            }
            case "provision" -> System.exit(provision(o));
            default -> usage();
        }
    }

    private static int provision(Map<String, String> o) throws IOException {
        int count = Integer.parseInt(o.getOrDefault("devices", "100"));
        String prefix = o.getOrDefault("prefix", "dev");
        String run = Long.toString(System.currentTimeMillis(), 36);
        List<String> devices = IntStream.rangeClosed(1, count)
                .mapToObj(i -> String.format("%s-%s-%05d", prefix, run, i)).toList();
        List<DeviceResult> results;
        long start = System.nanoTime();
        try (StationClient station = new StationClient(required(o, "bootstrap"),
                StationFiles.load(Path.of(required(o, "key")), Path.of(required(o, "cert"))),
                required(o, "factory"), required(o, "station"))) {
            results = station.provision(devices, required(o, "order"), new SecureElementSimulator(),
                    Duration.ofSeconds(Long.parseLong(o.getOrDefault("timeout-seconds", "120"))));
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        Path out = o.containsKey("out") ? Files.createDirectories(Path.of(o.get("out"))) : null;
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

    private static Map<String, String> options(String[] args) {
        Map<String, String> options = new HashMap<>();
        for (int i = 1; i < args.length; i += 2) {
            if (!args[i].startsWith("--") || i + 1 >= args.length) {
                throw new IllegalArgumentException("expected --name value pairs, got '" + args[i] + "'");
            }
            options.put(args[i].substring(2), args[i + 1]);
        }
        return options;
    }

    private static String required(Map<String, String> options, String name) {
        String value = options.get(name);
        if (value == null) {
            System.err.println("factory-gateway: --" + name + " is required");
            System.exit(64);
        }
        return value;
    }

    private static void usage() {
        System.err.println("usage: factory-gateway keygen --key FILE --public-key FILE\n"
                + "       factory-gateway provision --bootstrap HOST:PORT --key FILE --cert FILE --factory ID"
                + " --station ID --order ID [--devices 100] [--prefix dev] [--timeout-seconds 120] [--out DIR]");
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
