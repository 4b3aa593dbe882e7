package io.imprint.testing;

import java.nio.file.Files;
import java.nio.file.Path;

/** Where the repository is, so tests can run our own deploy scripts and read shared declarations. */
public final class ProjectPaths {
    private ProjectPaths() {}

    public static Path root() {
        String configured = System.getProperty("imprint.project.root");
        Path start = configured != null ? Path.of(configured) : Path.of("").toAbsolutePath();
        for (Path p = start.toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.exists(p.resolve("deploy/local/topics.conf"))) {
                return p;
            }
        }
        throw new IllegalStateException("cannot find the Imprint repository root above " + start);
    }

    /**
     * The tests' own work folder (deploy/local scripts' {@code IMPRINT_WORK}): their token, CAs, identities and
     * broker, apart from the demo's {@code work/}. {@code deploy/local/test.sh} prepares it.
     */
    public static Path testWork() {
        return root().resolve("work/test");
    }
}
