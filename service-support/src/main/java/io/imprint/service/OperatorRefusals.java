package io.imprint.service;

import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.UnauthorizedException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * The 401 an operator endpoint answers to an anonymous caller, with Imprint's error body (Quarkus's own
 * answer has none), matching {@link OperatorTokenMechanism}'s.
 */
public class OperatorRefusals {
    @ServerExceptionMapper({UnauthorizedException.class, AuthenticationFailedException.class})
    public Response unauthorized() {
        return Response.fromResponse(OperatorTokenMechanism.UNAUTHORIZED.response(Response.Status.UNAUTHORIZED))
                .header(HttpHeaders.WWW_AUTHENTICATE, OperatorTokenMechanism.SCHEME)
                .build();
    }
}
