package io.imprint.service;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Optional;

/**
 * Checks the operator bearer token, compared in constant time. Built at start-up from the service's own
 * setting, so a missing or weak token stops the service instead of leaving an open API. Requests reach it
 * only through {@link OperatorTokenMechanism}; endpoints ask for {@link #ROLE}.
 */
public final class OperatorAuthenticator {
    public static final int MIN_TOKEN_LENGTH = 32;
    /** The role an operator endpoint names in {@code @RolesAllowed}. */
    public static final String ROLE = "operator";

    private static final String OPERATOR = "operator";
    private final byte[] expected;

    /** @param setting the configuration key, named in the start-up error */
    public OperatorAuthenticator(String setting, String token) {
        if (token == null || token.strip().length() < MIN_TOKEN_LENGTH) {
            throw new IllegalStateException(setting + " must be at least " + MIN_TOKEN_LENGTH + " characters");
        }
        this.expected = token.strip().getBytes(StandardCharsets.UTF_8);
    }

    /** The operator's identity, or empty when the presented token is wrong. */
    public Optional<String> authenticate(String token) {
        byte[] presented = token.strip().getBytes(StandardCharsets.UTF_8);
        return MessageDigest.isEqual(expected, presented) ? Optional.of(OPERATOR) : Optional.empty();
    }
}
