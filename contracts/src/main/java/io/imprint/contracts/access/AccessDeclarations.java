package io.imprint.contracts.access;

import io.imprint.contracts.access.AccessRule.Operation;
import io.imprint.contracts.access.AccessRule.PatternType;
import io.imprint.contracts.access.AccessRule.ResourceType;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Every principal's allowed operations on topics, consumer groups and transactional ids: the one declared
 * file ({@code deploy/local/acls.conf}) the broker's ACLs are made from. Anything not declared is refused
 * ({@code allow.everyone.if.no.acl.found=false}). One rule a line, blank lines and {@code #} comments ignored:
 * <pre>
 * principal  OPERATION  topic|group|transactional-id|cluster  literal|prefixed  name
 * </pre>
 */
public record AccessDeclarations(List<AccessRule> rules) {
    private static final String SAMPLE_FACTORY = "sample-factory";
    private static final String SAMPLE_STATION = "sample-station";

    public AccessDeclarations {
        rules = List.copyOf(rules);
    }

    public static AccessDeclarations load(Path file) {
        try {
            return parse(Files.readAllLines(file));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    /**
     * Several declared files as one, e.g. {@code deploy/local/acls.conf,deploy/factory-edge/acls.conf}: a broker
     * of the offline-factory pattern also lets its mirror through.
     */
    public static AccessDeclarations loadAll(String commaSeparatedFiles) {
        List<AccessRule> rules = new ArrayList<>();
        for (String file : commaSeparatedFiles.split(",", -1)) {
            if (!file.isBlank()) {
                rules.addAll(load(Path.of(file.strip())).rules());
            }
        }
        return new AccessDeclarations(rules);
    }

    public static AccessDeclarations parse(List<String> lines) {
        List<AccessRule> rules = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String[] f = line.split("\\s+", -1);
            try {
                if (f.length != 5) {
                    throw new IllegalArgumentException("expected 5 fields, found " + f.length);
                }
                rules.add(new AccessRule(
                        f[0],
                        Operation.valueOf(f[1]),
                        ResourceType.valueOf(upper(f[2])),
                        PatternType.valueOf(upper(f[3])),
                        f[4]));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("line " + (i + 1) + " '" + line + "': " + e.getMessage(), e);
            }
        }
        return new AccessDeclarations(rules);
    }

    /** The rules that hold for fixed principals (services), applied when the broker starts. */
    public List<AccessRule> fixed() {
        return rules.stream().filter(r -> !r.isTemplate()).toList();
    }

    /** The rules one station gets when it is granted access. */
    public List<AccessRule> forStation(String factoryId, String stationId) {
        return rules.stream()
                .filter(AccessRule::isTemplate)
                .map(r -> r.forStation(factoryId, stationId))
                .toList();
    }

    /** Whether {@code principal} (a fixed principal, or one instantiated station) may do this. */
    public boolean allows(String principal, Operation operation, ResourceType type, String name) {
        return applicable(principal).stream().anyMatch(r -> r.allows(operation, type, name));
    }

    /**
     * Every principal allowed {@code operation} on a topic, station principals written as their template; the
     * topic may be a template too ({@code imprint.station-results.{factory}.v1}).
     */
    public Set<String> principalsAllowed(Operation operation, String topic) {
        String sample = topic.replace(AccessRule.FACTORY, SAMPLE_FACTORY);
        return rules.stream()
                .filter(r -> r.forStation(SAMPLE_FACTORY, SAMPLE_STATION).allows(operation, ResourceType.TOPIC, sample))
                .map(AccessRule::principal)
                .collect(Collectors.toCollection(TreeSet::new));
    }

    /** The rules as a Markdown table, as the README shows them. */
    public String markdownTable() {
        StringBuilder table = new StringBuilder("""
                | principal | operation | resource | pattern | name |
                |---|---|---|---|---|
                """);
        for (AccessRule r : rules) {
            table.append("| `")
                    .append(r.principal())
                    .append("` | ")
                    .append(r.operation())
                    .append(" | ")
                    .append(AccessRule.lower(r.resourceType()))
                    .append(" | ")
                    .append(AccessRule.lower(r.patternType()))
                    .append(" | `")
                    .append(r.resourceName())
                    .append("` |\n");
        }
        return table.toString();
    }

    private List<AccessRule> applicable(String principal) {
        if (principal.startsWith("station:") && principal.contains("/")) {
            String[] ids = principal.substring("station:".length()).split("/", 2);
            return forStation(ids[0], ids[1]).stream()
                    .filter(r -> r.principal().equals(principal))
                    .toList();
        }
        return fixed().stream().filter(r -> r.principal().equals(principal)).toList();
    }

    private static String upper(String field) {
        return field.toUpperCase(Locale.ROOT).replace('-', '_');
    }

    /** Prints the Markdown table of a declared file: {@code AccessDeclarations deploy/local/acls.conf}. */
    public static void main(String[] args) {
        System.out.print(load(Path.of(args.length > 0 ? args[0] : "deploy/local/acls.conf"))
                .markdownTable());
    }
}
