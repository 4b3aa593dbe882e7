package io.imprint.service;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * Every error of every Imprint REST API answers the documented {@code {"code","message"}} JSON, never a
 * framework page, an empty body or a stack trace: a body that is not JSON, an unknown path or method, a media
 * type the endpoint does not take, and any failure nobody foresaw (logged here, once, with its stack trace).
 */
public class RestErrors {
    private static final Logger LOG = Logger.getLogger(RestErrors.class);

    @ServerExceptionMapper
    public Response malformedJson(JsonProcessingException e) {
        return new ApiError("MALFORMED_JSON", "the request body is not valid JSON for this endpoint")
                .response(Response.Status.BAD_REQUEST);
    }

    /** Named apart: Quarkus maps this exact type itself (an empty 400), and the nearest type's mapper wins. */
    @ServerExceptionMapper
    public Response wrongJsonShape(MismatchedInputException e) {
        return new ApiError("MALFORMED_JSON", "the request body is JSON of the wrong shape for this endpoint")
                .response(Response.Status.BAD_REQUEST);
    }

    @ServerExceptionMapper
    public Response notJson(JsonParseException e) {
        return malformedJson(e);
    }

    @ServerExceptionMapper
    public Response framework(WebApplicationException e) {
        if (e.getCause() instanceof JsonProcessingException) {
            return malformedJson(null);
        }
        int status = e.getResponse() == null ? 500 : e.getResponse().getStatus();
        String code = switch (status) {
            case 400 -> "BAD_REQUEST";
            case 401 -> "UNAUTHORIZED";
            case 404 -> "NOT_FOUND";
            case 405 -> "METHOD_NOT_ALLOWED";
            case 406 -> "NOT_ACCEPTABLE";
            case 413 -> "REQUEST_TOO_LARGE";
            case 415 -> "UNSUPPORTED_MEDIA_TYPE";
            default -> status >= 500 ? "INTERNAL_ERROR" : "BAD_REQUEST";
        };
        String message = switch (status) {
            case 404 -> "no such resource";
            case 405 -> "this resource does not take that method";
            case 406, 415 -> "this resource does not take or give that media type";
            case 413 -> "the request body is too large";
            default -> status >= 500 ? "internal error; the service log has the details" : "the request is malformed";
        };
        if (status >= 500) {
            LOG.error("request failed", e);
        }
        return Response.status(status)
                .type("application/json")
                .entity(new ApiError(code, message))
                .build();
    }

    @ServerExceptionMapper
    public Response unforeseen(Throwable e) {
        LOG.error("request failed", e);
        return new ApiError("INTERNAL_ERROR", "internal error; the service log has the details")
                .response(Response.Status.INTERNAL_SERVER_ERROR);
    }
}
