package io.imprint.pki.keys;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Reads an HSM PIN from the environment variable {@code NAME} or from the file named by {@code NAME_FILE}
 * (for secrets mounted as files). The PIN is never logged and never part of an exception message.
 */
public final class Pins {
    private Pins() {}

    public static char[] read(String variable) {
        return read(variable, System.getenv());
    }

    static char[] read(String variable, Map<String, String> env) {
        String value = env.get(variable);
        if (value != null && !value.isEmpty()) {
            return value.toCharArray();
        }
        String file = env.get(variable + "_FILE");
        if (file != null && !file.isEmpty()) {
            try {
                String content =
                        Files.readString(Path.of(file), StandardCharsets.UTF_8).strip();
                if (!content.isEmpty()) {
                    return content.toCharArray();
                }
            } catch (IOException e) {
                throw new KeyBackendException("cannot read the PIN file named by " + variable + "_FILE", null);
            }
        }
        throw new KeyBackendException("no HSM PIN: set " + variable + " or " + variable + "_FILE", null);
    }
}
