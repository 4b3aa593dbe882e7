package io.imprint.service;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Response;
import java.util.Optional;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Refuses, before any routing, parsing or database call, a request whose path no Imprint resource could
 * name: one with control characters (a NUL would otherwise reach PostgreSQL, which refuses it with an error)
 * or longer than {@value #MAX_PATH} characters.
 */
public class RequestSanity {
    static final int MAX_PATH = 2048;

    @ServerRequestFilter(preMatching = true)
    public Optional<Response> refuseUnnameablePaths(ContainerRequestContext request) {
        String path = request.getUriInfo().getPath();
        if (path.length() > MAX_PATH || path.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
            return Optional.of(new ApiError(
                            "MALFORMED_PATH",
                            "the request path has control characters or is longer than " + MAX_PATH + " characters")
                    .response(Response.Status.BAD_REQUEST));
        }
        return Optional.empty();
    }
}
