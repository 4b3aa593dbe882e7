package io.imprint.benchmarks;

import io.imprint.eventplane.KafkaTls;
import io.imprint.gateway.SecureElementSimulator;
import io.imprint.gateway.SimulatedVendor;
import io.imprint.gateway.StationFiles;
import io.imprint.pki.cli.CliOptions;
import io.imprint.pki.signing.PemCredentials;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * {@code bench-e2e}: warm-up, then a closed loop that finds the rate the stack sustains, then an open loop at half
 * that rate (or {@code --rate}) for its latency; each printed and drawn into a PNG.
 *
 * <pre>
 * bench-e2e --bootstrap HOST:PORT --stations DIR --broker-ca FILE --admin-identity FILE --factory ID --order ID
 *           --vendor DIR [--secure-element TYPE] [--seconds 60] [--warmup-seconds 15] [--in-flight 200]
 *           [--rate DEVICES_PER_SECOND] [--plots DIR] [--cpu name=pid,...]
 * </pre>
 * {@code --stations} holds one folder per station, named by its id, with {@code station.key} and
 * {@code station.crt}.
 */
final class EndToEndCommand {
    private EndToEndCommand() {}

    static void run(CliOptions o, Map<String, ProcessHandle> watched) {
        Duration seconds = Duration.ofSeconds(Long.parseLong(o.get("seconds", "60")));
        Duration warmup = Duration.ofSeconds(Long.parseLong(o.get("warmup-seconds", "15")));
        int inFlight = Integer.parseInt(o.get("in-flight", "200"));
        Path plots = Path.of(o.get("plots", "docs/benchmarks"));
        X509Certificate brokerCa =
                PemCredentials.certificates(Path.of(o.required("broker-ca"))).get(0);
        SecureElementSimulator simulator = new SecureElementSimulator(
                SimulatedVendor.load(Path.of(o.required("vendor"))), o.get("secure-element", "ATECC608A"));
        List<EndToEndBenchmark.Station> stations = stations(Path.of(o.required("stations")));
        try (EndToEndBenchmark bench = new EndToEndBenchmark(
                o.required("bootstrap"),
                stations,
                brokerCa,
                KafkaTls.client(
                        o.required("bootstrap"),
                        Path.of(o.required("admin-identity")),
                        Path.of(o.required("broker-ca"))),
                o.required("factory"),
                o.required("order"))) {
            System.out.printf(
                    "machine: %d cores; %d stations of %s, each on its own mutual-TLS connection%n",
                    Runtime.getRuntime().availableProcessors(), stations.size(), o.required("factory"));
            int firstBatch = Integer.parseInt(o.get("devices", "30000"));
            prepare(bench, simulator, firstBatch);
            EndToEndBenchmark.Run warm = bench.closedLoop(inFlight, warmup, Map.of());
            System.out.printf(
                    "warm-up: %s for %.0f s, %.0f devices/s%n", warm.mode(), warm.seconds(), warm.devicesPerSecond());
            EndToEndBenchmark.Run closed = bench.closedLoop(inFlight, seconds, watched);
            report(closed, plots.resolve("e2e-closed-loop.png"));
            double rate = o.has("rate") ? Double.parseDouble(o.get("rate", "0")) : closed.devicesPerSecond() / 2;
            int needed = (int) Math.ceil(rate * seconds.toSeconds());
            if (bench.prepared() < needed) {
                prepare(bench, simulator, needed - bench.prepared());
            }
            report(bench.openLoop(rate, seconds, watched), plots.resolve("e2e-open-loop.png"));
        }
    }

    private static void prepare(EndToEndBenchmark bench, SecureElementSimulator simulator, int count) {
        long start = System.nanoTime();
        bench.prepare(count, simulator);
        System.out.printf(
                "prepared %d secure elements (key, CSR, attestation chain) in %.1f s, before any clock runs%n",
                count, (System.nanoTime() - start) / 1e9);
    }

    private static void report(EndToEndBenchmark.Run run, Path plot) {
        LatencySeries s = run.series();
        System.out.printf(
                "%s: %d devices sent in %.1f s: %d certificates, %d rejections = %.0f devices/s%n",
                run.mode(), run.sent(), run.seconds(), run.issued(), run.rejected(), run.devicesPerSecond());
        System.out.printf(
                "  publish -> certificate (HdrHistogram, from when each was due): p50 %.1f ms, p99 %.1f ms,"
                        + " p99.9 %.1f ms, max %.1f ms%n",
                s.percentileMillis(50), s.percentileMillis(99), s.percentileMillis(99.9), s.percentileMillis(100));
        StringBuilder lag = new StringBuilder("  consumer groups when the last answer came (records behind):");
        run.lagAtEnd()
                .forEach((group, behind) ->
                        lag.append(' ').append(group).append(' ').append(behind.records()));
        System.out.println(lag);
        System.out.printf(
                "  every group caught up %s%n",
                run.caughtUpSeconds() < 0
                        ? "NOT within 5 min"
                        : String.format("%.1f s after the last answer", run.caughtUpSeconds()));
        if (!run.cpu().isEmpty()) {
            StringBuilder cpu = new StringBuilder("  CPU per device:");
            run.cpu()
                    .forEach((name, used) -> cpu.append(String.format(
                            " %s %.0f us,", name, used.toNanos() / 1e3 / Math.max(1, run.issued() + run.rejected()))));
            System.out.println(cpu.substring(0, cpu.length() - 1));
        }
        LoadPlot.write(
                plot,
                run.mode()
                        + String.format(
                                ": %.0f devices/s, p99 %.1f ms", run.devicesPerSecond(), s.percentileMillis(99)),
                s);
        System.out.println("  plot: " + plot);
    }

    private static List<EndToEndBenchmark.Station> stations(Path dir) {
        try (Stream<Path> entries = Files.list(dir)) {
            List<EndToEndBenchmark.Station> stations = entries.filter(Files::isDirectory)
                    .sorted()
                    .map(d -> new EndToEndBenchmark.Station(
                            d.getFileName().toString(),
                            StationFiles.load(d.resolve("station.key"), d.resolve("station.crt"))))
                    .toList();
            if (stations.isEmpty()) {
                throw new IllegalArgumentException("no station folders in " + dir);
            }
            return stations;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir, e);
        }
    }

    static Map<String, ProcessHandle> watched(Map<String, Long> pids) {
        Map<String, ProcessHandle> watched = new LinkedHashMap<>();
        pids.forEach((name, pid) -> ProcessHandle.of(pid).ifPresent(h -> watched.put(name, h)));
        watched.put("load generator", ProcessHandle.current());
        return watched;
    }
}
