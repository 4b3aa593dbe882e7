package io.imprint.service;

import io.quarkus.arc.properties.IfBuildProperty;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The operators' roles, read at start-up in every service whose HTTPS port asks for operator certificates, so
 * a missing or malformed roles file stops the service instead of leaving its operator APIs unusable.
 */
public class OperatorRolesProducer {
    @Produces
    @Startup
    @Singleton
    @IfBuildProperty(name = "quarkus.http.ssl.client-auth", stringValue = "request")
    OperatorRoles operatorRoles(@ConfigProperty(name = "imprint.operators.roles-file") String file) {
        return OperatorRoles.load("imprint.operators.roles-file (IMPRINT_OPERATORS_ROLES_FILE)", file);
    }
}
