package io.imprint.service;

import io.quarkus.runtime.configuration.MemorySize;
import io.vertx.core.json.Json;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The documented {@code {"code","message"}} body for requests refused before any resource runs, checked
 * first on every route: a declared body over {@code quarkus.http.limits.max-body-size} (413, before a byte of
 * it is read) and a path whose percent-encoding does not decode (400). {@link RestErrors} covers everything
 * after routing.
 */
@ApplicationScoped
public class HttpErrorResponses {
    private final long maxBody;

    public HttpErrorResponses(@ConfigProperty(name = "quarkus.http.limits.max-body-size") MemorySize maxBody) {
        this.maxBody = maxBody.asLongValue();
    }

    void install(@Observes Router router) {
        router.route().order(Integer.MIN_VALUE).handler(this::screen);
    }

    private void screen(RoutingContext context) {
        String length = context.request().getHeader("Content-Length");
        if (length != null && declaredLength(length) > maxBody) {
            answer(context, 413, "REQUEST_TOO_LARGE", "the request body is larger than " + maxBody + " bytes");
            return;
        }
        if (!decodes(context.request().path())) {
            answer(context, 400, "MALFORMED_PATH", "the request path is not valid percent-encoding");
            return;
        }
        context.next();
    }

    private static long declaredLength(String header) {
        try {
            return Long.parseLong(header.strip());
        } catch (NumberFormatException e) {
            return Long.MAX_VALUE;
        }
    }

    private static boolean decodes(String path) {
        if (path == null) {
            return true; // no path to decode (e.g. OPTIONS *): routing answers it
        }
        for (int i = path.indexOf('%'); i >= 0; i = path.indexOf('%', i + 1)) {
            if (i + 2 >= path.length()
                    || Character.digit(path.charAt(i + 1), 16) < 0
                    || Character.digit(path.charAt(i + 2), 16) < 0) {
                return false;
            }
        }
        return true;
    }

    /** Answers and closes: the refused body may still be on its way, and is never read. */
    private static void answer(RoutingContext context, int status, String code, String message) {
        context.response()
                .setStatusCode(status)
                .putHeader("Content-Type", "application/json")
                .putHeader("Connection", "close")
                .end(Json.encode(new ApiError(code, message)))
                .onComplete(done -> context.request().connection().close());
    }
}
