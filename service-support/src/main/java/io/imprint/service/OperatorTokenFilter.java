package io.imprint.service;

import jakarta.enterprise.inject.Instance;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import java.util.Optional;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;
import org.jboss.resteasy.reactive.server.SimpleResourceInfo;

/** The operator token check for {@link OperatorApi} endpoints, run before the request body is read. */
public class OperatorTokenFilter {
    private final Instance<OperatorAuthenticator> operators;

    public OperatorTokenFilter(Instance<OperatorAuthenticator> operators) {
        this.operators = operators;
    }

    @ServerRequestFilter
    public Optional<Response> requireOperator(ContainerRequestContext request, SimpleResourceInfo resource) {
        if (!operatorOnly(resource)) {
            return Optional.empty();
        }
        boolean authenticated = operators.isResolvable()
                && operators.get().authenticate(request.getHeaderString(HttpHeaders.AUTHORIZATION)).isPresent();
        return authenticated ? Optional.empty() : Optional.of(OperatorAuthenticator.unauthorized());
    }

    private static boolean operatorOnly(SimpleResourceInfo resource) {
        if (resource.getResourceClass().isAnnotationPresent(OperatorApi.class)) {
            return true;
        }
        try {
            return resource.getResourceClass().getMethod(resource.getMethodName(), resource.parameterTypes())
                    .isAnnotationPresent(OperatorApi.class);
        } catch (NoSuchMethodException e) {
            return false;
        }
    }
}
