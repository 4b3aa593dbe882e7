package io.imprint.service;

import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/** The one error body of Imprint's REST APIs: a stable code to match on and a sentence for people. */
public record ApiError(String code, String message) {

    public Response response(Response.Status status) {
        return Response.status(status)
                .type(MediaType.APPLICATION_JSON)
                .entity(this)
                .build();
    }

    public static Response notFound(String code, String message) {
        return new ApiError(code, message).response(Response.Status.NOT_FOUND);
    }
}
