package io.imprint.pki.ceremony;

import io.imprint.pki.keys.CaKey;
import io.imprint.pki.signing.DetachedCms;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * What a ceremony did, line by line, sealed at the end with a detached CMS signature ({@link DetachedCms}) made
 * inside the token by the CA key that performed the ceremony, its chain included.
 */
public final class CeremonyTranscript implements Consumer<String> {
    private static final DateTimeFormatter FILE_TIME =
            DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

    private final List<String> lines = new ArrayList<>();
    private final Consumer<String> echo;

    public CeremonyTranscript(Consumer<String> echo) {
        this.echo = echo;
    }

    @Override
    public synchronized void accept(String line) {
        lines.add(Instant.now() + " " + line);
        echo.accept(line);
    }

    /** Writes {@code <time>-<command>.txt} and its signature {@code .p7s} into {@code dir}; returns the text file. */
    public synchronized Path seal(CaKey sealedBy, Path dir, String command, Instant now) {
        accept("sealed by '" + sealedBy.alias() + "' ("
                + sealedBy.certificate().getSubjectX500Principal().getName() + ")");
        byte[] text = (String.join("\n", lines) + "\n").getBytes(StandardCharsets.UTF_8);
        String base = FILE_TIME.format(now) + "-" + command;
        byte[] signature = DetachedCms.sign(sealedBy, text);
        try {
            Files.createDirectories(dir);
            Path transcript = dir.resolve(base + ".txt");
            Files.write(transcript, text);
            Files.write(dir.resolve(base + ".p7s"), signature);
            return transcript;
        } catch (IOException e) {
            throw new IllegalStateException("cannot seal the ceremony transcript: " + e.getMessage(), e);
        }
    }
}
