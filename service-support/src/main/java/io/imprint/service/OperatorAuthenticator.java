package io.imprint.service;

import jakarta.ws.rs.core.Response;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Optional;

/**
 * Authenticates operators by bearer token, compared in constant time. Built at start-up from the service's
 * own setting, so a missing or weak token stops the service instead of leaving an open API.
 */
public final class OperatorAuthenticator {
    public static final int MIN_TOKEN_LENGTH = 32;
    private static final String OPERATOR = "operator";
    private final byte[] expected;

    /** @param setting the configuration key, named in the start-up error */
    public OperatorAuthenticator(String setting, String token) {
        if (token == null || token.strip().length() < MIN_TOKEN_LENGTH) {
            throw new IllegalStateException(setting + " must be at least " + MIN_TOKEN_LENGTH + " characters");
        }
        this.expected = token.strip().getBytes(StandardCharsets.UTF_8);
    }

    /** The operator's identity, or empty when the Authorization header is missing or wrong. */
    public Optional<String> authenticate(String authorization) {
        if (authorization == null || !authorization.startsWith("Bearer ")) {
            return Optional.empty();
        }
        byte[] presented = authorization.substring("Bearer ".length()).strip().getBytes(StandardCharsets.UTF_8);
        return MessageDigest.isEqual(expected, presented) ? Optional.of(OPERATOR) : Optional.empty();
    }

    /** The 401 answer for a request without a valid token. */
    public static Response unauthorized() {
        return new ApiError("UNAUTHORIZED", "a valid operator bearer token is required")
                .response(Response.Status.UNAUTHORIZED);
    }
}
