package io.imprint.pki.cli;

import java.util.HashMap;
import java.util.Map;

/** {@code --name value} options after a sub-command, as Imprint's command-line tools take them. */
public final class CliOptions {
    private final Map<String, String> values = new HashMap<>();

    /** Parses {@code args[1..]}; {@code args[0]} is the sub-command. */
    public CliOptions(String[] args) {
        for (int i = 1; i < args.length; i += 2) {
            if (!args[i].startsWith("--") || i + 1 >= args.length) {
                throw new IllegalArgumentException("expected --name value pairs, got '" + args[i] + "'");
            }
            values.put(args[i].substring(2), args[i + 1]);
        }
    }

    public String required(String name) {
        String value = values.get(name);
        if (value == null) {
            throw new IllegalArgumentException("--" + name + " is required");
        }
        return value;
    }

    public String get(String name, String fallback) {
        return values.getOrDefault(name, fallback);
    }

    public boolean has(String name) {
        return values.containsKey(name);
    }
}
