package io.imprint.audit.service;

import io.imprint.service.OperatorAuthenticator;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** The operator token check, built at start-up so a missing or weak token stops the service. */
public class Operators {
    @Produces
    @Startup
    @Singleton
    OperatorAuthenticator operators(@ConfigProperty(name = "imprint.audit.operator-token") String token) {
        return new OperatorAuthenticator("imprint.audit.operator-token (IMPRINT_AUDIT_OPERATOR_TOKEN)", token);
    }
}
