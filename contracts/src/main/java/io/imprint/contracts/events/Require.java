package io.imprint.contracts.events;

import java.util.List;

/** Field checks run by every event's constructor, so a malformed event can be neither built nor decoded. */
final class Require {
    private Require() {
    }

    static String text(String value, String field) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("field '" + field + "' is required");
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
