package io.imprint.contracts.access;

import java.util.Locale;

/**
 * One permission of one Kafka principal, as declared in {@code deploy/local/acls.conf}. Names follow Kafka's
 * own ({@code AclOperation}, {@code ResourceType}, {@code PatternType}), so the broker-side tool maps them
 * one to one. A principal or resource name may contain {@code {factory}} and {@code {station}}: such a rule
 * is a template, instantiated for each station when it is granted access.
 *
 * @param principal Kafka principal name without its type, e.g. {@code service:signer},
 *                  {@code station:{factory}/{station}}
 */
public record AccessRule(
        String principal,
        Operation operation,
        ResourceType resourceType,
        PatternType patternType,
        String resourceName) {
    public static final String FACTORY = "{factory}";
    public static final String STATION = "{station}";

    public enum Operation {
        READ,
        WRITE,
        CREATE,
        DELETE,
        ALTER,
        DESCRIBE,
        DESCRIBE_CONFIGS,
        ALTER_CONFIGS,
        IDEMPOTENT_WRITE;

        /** Kafka grants DESCRIBE along with READ, WRITE, DELETE and ALTER. */
        boolean implies(Operation other) {
            return this == other
                    || (other == DESCRIBE && (this == READ || this == WRITE || this == DELETE || this == ALTER));
        }
    }

    public enum ResourceType {
        TOPIC,
        GROUP,
        TRANSACTIONAL_ID,
        CLUSTER
    }

    public enum PatternType {
        LITERAL,
        PREFIXED
    }

    public AccessRule {
        if (principal == null || principal.isBlank() || resourceName == null || resourceName.isBlank()) {
            throw new IllegalArgumentException("an access rule needs a principal and a resource name");
        }
    }

    public boolean isTemplate() {
        return principal.contains(FACTORY) || principal.contains(STATION) || resourceName.contains(FACTORY);
    }

    /** This rule for one station; the rule itself when it is not a template. */
    public AccessRule forStation(String factoryId, String stationId) {
        return new AccessRule(
                fill(principal, factoryId, stationId),
                operation,
                resourceType,
                patternType,
                fill(resourceName, factoryId, stationId));
    }

    /** Whether the rule lets its principal do {@code operation} on the named resource. */
    public boolean allows(Operation wanted, ResourceType type, String name) {
        return resourceType == type
                && operation.implies(wanted)
                && (patternType == PatternType.LITERAL ? resourceName.equals(name) : name.startsWith(resourceName));
    }

    /** The line as written in the declared file. */
    public String line() {
        return String.join(" ", principal, operation.name(), lower(resourceType), lower(patternType), resourceName);
    }

    static String lower(Enum<?> value) {
        return value.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    private static String fill(String text, String factoryId, String stationId) {
        return text.replace(FACTORY, factoryId).replace(STATION, stationId);
    }
}
