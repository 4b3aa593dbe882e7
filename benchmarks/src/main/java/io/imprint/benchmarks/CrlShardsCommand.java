package io.imprint.benchmarks;

import io.imprint.pki.cli.CliOptions;
import io.imprint.pki.crl.CrlDistribution;
import io.imprint.pki.crl.CrlFactory;
import io.imprint.pki.crl.CrlScope;
import io.imprint.pki.crl.RevokedEntry;
import io.imprint.pki.keys.CaKey;
import io.imprint.pki.keys.KeyBackend;
import java.io.BufferedWriter;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.bouncycastle.asn1.x509.CRLReason;

/**
 * {@code bench-crl}: regenerates every partition's full CRL for N revocations of one CA as the signer builds them
 * (CrlFactory, signed through the token, the shards spread over the cores), and writes the same revocations as an
 * {@code openssl ca} index, so {@code deploy/local/bench-crl.sh} times {@code openssl ca -gencrl} over them in the
 * same run. Prints the time of each round, the bytes of all shards and the largest, and this process' peak RSS.
 */
final class CrlShardsCommand {
    private static final DateTimeFormatter OPENSSL_TIME =
            DateTimeFormatter.ofPattern("yyMMddHHmmss'Z'").withZone(ZoneOffset.UTC);

    private CrlShardsCommand() {}

    static void run(CliOptions o, KeyBackend token) throws Exception {
        int count = Integer.parseInt(o.get("revocations", "1000000"));
        int shards = Integer.parseInt(o.get("shards", "256"));
        int threads = Integer.parseInt(
                o.get("threads", Integer.toString(Runtime.getRuntime().availableProcessors())));
        int rounds = Integer.parseInt(o.get("rounds", "3"));
        CaKey ca = token.key(o.get("issuing-ca", "issuing-ca"));
        CrlDistribution distribution = new CrlDistribution(
                "http://127.0.0.1:8085/crl/bench/{shard}", shards, "http://127.0.0.1:8085/crl/bench/{shard}/delta");

        Instant now = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        List<List<RevokedEntry>> byShard = new ArrayList<>();
        for (int s = 0; s < shards; s++) {
            byShard.add(new ArrayList<>(count / shards + count / shards / 4));
        }
        SecureRandom random = new SecureRandom();
        Path index = Path.of(o.required("openssl-index"));
        try (BufferedWriter out = Files.newBufferedWriter(index, StandardCharsets.US_ASCII)) {
            byte[] bytes = new byte[16];
            for (int i = 0; i < count; i++) {
                random.nextBytes(bytes);
                bytes[0] &= 0x7f;
                bytes[0] |= 0x40;
                BigInteger serial = new BigInteger(bytes);
                Instant at = now.minusSeconds(i % 86_400);
                byShard.get(distribution.shardOf(serial)).add(new RevokedEntry(serial, at, CRLReason.keyCompromise));
                out.write("R\t301231235959Z\t" + OPENSSL_TIME.format(at) + ",keyCompromise\t"
                        + serial.toString(16).toUpperCase(java.util.Locale.ROOT) + "\tunknown\t/CN=dev-" + i + "\n");
            }
        }
        System.out.printf(
                "%d revocations over %d shards (%d to %d per shard); %d threads; openssl index %s%n",
                count,
                shards,
                byShard.stream().mapToInt(List::size).min().orElse(0),
                byShard.stream().mapToInt(List::size).max().orElse(0),
                threads,
                index);

        CrlFactory factory = new CrlFactory();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            long[] took = new long[rounds];
            long crlNumber = 1;
            for (int round = 0; round < rounds; round++) {
                long number = crlNumber;
                crlNumber += shards;
                long start = System.nanoTime();
                AtomicInteger next = new AtomicInteger();
                long[] bytes = new long[shards];
                List<Future<?>> work = new ArrayList<>();
                for (int t = 0; t < threads; t++) {
                    work.add(pool.submit(() -> {
                        for (int s = next.getAndIncrement(); s < shards; s = next.getAndIncrement()) {
                            byte[] crl = factory.sign(
                                    ca,
                                    number + s,
                                    now,
                                    now.plus(Duration.ofDays(1)),
                                    byShard.get(s),
                                    CrlScope.full(distribution.crlUrl(s), distribution.deltaCrlUrl(s)));
                            bytes[s] = crl.length;
                        }
                        return null;
                    }));
                }
                for (Future<?> f : work) {
                    f.get();
                }
                took[round] = (System.nanoTime() - start) / 1_000_000;
                System.out.printf(
                        "round %d: %d shards built, signed and verified in %d ms; %d bytes in all, largest %d%n",
                        round + 1,
                        shards,
                        took[round],
                        Arrays.stream(bytes).sum(),
                        Arrays.stream(bytes).max().orElse(0));
            }
            Arrays.sort(took);
            System.out.printf(
                    "imprint shards: best %d ms, median %d ms; peak RSS of this process %s (JVM included)%n",
                    took[0], took[rounds / 2], peakRss());
        } finally {
            pool.shutdown();
        }
    }

    /** VmHWM from /proc/self/status: the most resident memory this process held. */
    private static String peakRss() throws IOException {
        return Files.readAllLines(Path.of("/proc/self/status")).stream()
                .filter(l -> l.startsWith("VmHWM:"))
                .map(l -> l.substring("VmHWM:".length()).strip())
                .findFirst()
                .orElse("unknown");
    }
}
