package io.imprint.contracts.events;

import java.util.List;

/** Field checks run by every event's constructor, so a malformed event can be neither built nor decoded. */
final class Require {
    private Require() {}

    static String text(String value, String field) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("field '" + field + "' is required");
        }
        return value;
    }

    /** Lower-case hex without leading zeros, 16 to 40 digits: at least 61 bits, at most RFC 5280's 20 octets. */
    static String hex(String value, String field) {
        if (value == null || !value.matches("[1-9a-f][0-9a-f]{15,39}")) {
            throw new IllegalArgumentException(
                    "field '" + field + "' must be 16 to 40 lower-case hex digits without leading zeros");
        }
        return value;
    }

    static <T> T present(T value, String field) {
        if (value == null) {
            throw new IllegalArgumentException("field '" + field + "' is required");
        }
        return value;
    }

    static <T> List<T> list(List<T> value, String field) {
        return List.copyOf(present(value, field));
    }
}
