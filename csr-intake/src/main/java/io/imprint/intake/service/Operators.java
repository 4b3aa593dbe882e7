package io.imprint.intake.service;

import io.imprint.intake.config.IntakeConfig;
import io.imprint.service.OperatorAuthenticator;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/** The operator token check, built at start-up so a missing or weak token stops the service. */
public class Operators {
    @Produces
    @Startup
    @Singleton
    OperatorAuthenticator operators(IntakeConfig config) {
        return new OperatorAuthenticator(
                "imprint.intake.operator-token (IMPRINT_INTAKE_OPERATOR_TOKEN)", config.operatorToken());
    }
}
