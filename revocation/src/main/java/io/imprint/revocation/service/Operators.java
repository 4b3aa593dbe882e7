package io.imprint.revocation.service;

import io.imprint.revocation.config.RevocationConfig;
import io.imprint.service.OperatorAuthenticator;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/** The operator token check, built at start-up so a missing or weak token stops the service. */
public class Operators {
    @Produces
    @Startup
    @Singleton
    OperatorAuthenticator operators(RevocationConfig config) {
        return new OperatorAuthenticator(
                "imprint.revocation.operator-token (IMPRINT_REVOCATION_OPERATOR_TOKEN)", config.operatorToken());
    }
}
