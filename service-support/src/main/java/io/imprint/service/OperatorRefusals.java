package io.imprint.service;

import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * Imprint's error bodies for refused operators (Quarkus' own answers have none): 401 without an operator
 * certificate, 403 when the operator's roles do not cover the endpoint.
 */
public class OperatorRefusals {
    static final ApiError UNAUTHORIZED = new ApiError(
            "UNAUTHORIZED", "an operator client certificate from the operator CA is required (the HTTPS port)");
    static final ApiError FORBIDDEN = new ApiError("FORBIDDEN", "the operator's roles do not allow this");

    @ServerExceptionMapper({UnauthorizedException.class, AuthenticationFailedException.class})
    public Response unauthorized() {
        return UNAUTHORIZED.response(Response.Status.UNAUTHORIZED);
    }

    @ServerExceptionMapper(ForbiddenException.class)
    public Response forbidden() {
        return FORBIDDEN.response(Response.Status.FORBIDDEN);
    }
}
