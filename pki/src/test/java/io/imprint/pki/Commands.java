package io.imprint.pki;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** Runs tools nobody here wrote (openssl, swtpm, tpm2-tools) for pki's tests, which cannot use test-support. */
public final class Commands {
    public record Result(int exit, String output) {}

    private Commands() {}

    public static Result run(Path dir, Map<String, String> env, List<String> command) {
        try {
            ProcessBuilder builder =
                    new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
            builder.environment().putAll(env);
            Process process = builder.start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            return new Result(process.waitFor(), output);
        } catch (IOException e) {
            throw new IllegalStateException(command.get(0) + " is required for this test", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Runs and requires exit 0, returning the output. */
    public static String ok(Path dir, Map<String, String> env, List<String> command) {
        Result result = run(dir, env, command);
        if (result.exit() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed: " + result.output());
        }
        return result.output();
    }
}
