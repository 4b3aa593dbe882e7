package io.imprint.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Runs our own deploy scripts on the tests' work folder, as an operator would. */
final class TestScripts {
    private TestScripts() {}

    /** Runs {@code deploy/local/<script>} with {@code IMPRINT_WORK} set to the tests' folder; fails on a non-zero exit. */
    static void run(Map<String, String> env, String script, String... args) {
        List<String> command = new ArrayList<>(List.of(
                "bash", ProjectPaths.root().resolve("deploy/local/" + script).toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().put("IMPRINT_WORK", ProjectPaths.testWork().toString());
        builder.environment().putAll(env);
        try {
            Process process = builder.start();
            process.getOutputStream().close();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (process.waitFor() != 0) {
                throw new IllegalStateException(String.join(" ", command) + " failed:\n" + output);
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + script, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
