package io.imprint.revocation.service;

import io.imprint.revocation.config.RevocationConfig;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Optional;

/** Authenticates operators by bearer token, compared in constant time. Checked at start-up: no weak token. */
@Startup
@ApplicationScoped
public class OperatorAuthenticator {
    static final int MIN_TOKEN_LENGTH = 32;
    private static final String OPERATOR = "operator";
    private final byte[] expected;

    public OperatorAuthenticator(RevocationConfig config) {
        if (config.operatorToken().length() < MIN_TOKEN_LENGTH) {
            throw new IllegalStateException("imprint.revocation.operator-token must be at least " + MIN_TOKEN_LENGTH
                    + " characters (set IMPRINT_REVOCATION_OPERATOR_TOKEN)");
        }
        this.expected = config.operatorToken().getBytes(StandardCharsets.UTF_8);
    }

    /** The operator's identity, or empty when the Authorization header is missing or wrong. */
    public Optional<String> authenticate(String authorization) {
        if (authorization == null || !authorization.startsWith("Bearer ")) {
            return Optional.empty();
        }
        byte[] presented = authorization.substring("Bearer ".length()).strip().getBytes(StandardCharsets.UTF_8);
        return MessageDigest.isEqual(expected, presented) ? Optional.of(OPERATOR) : Optional.empty();
    }
}
