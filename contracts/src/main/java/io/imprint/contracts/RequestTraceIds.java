package io.imprint.contracts;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The OpenTelemetry ids of a request's trace, derived from its {@code requestId} alone so that every service, and
 * anyone holding the id (a station's log, an audit record), names the same trace without a header being carried:
 * trace id = the first 16 bytes of SHA-256("imprint-request:" + requestId), the request's root span id = the next 8,
 * both lower-case hex as W3C Trace Context writes them.
 */
public final class RequestTraceIds {
    private RequestTraceIds() {}

    /** A request's trace id and root span id, from one digest. */
    public record Ids(String traceId, String rootSpanId) {}

    public static Ids of(String requestId) {
        byte[] digest = digest(requestId);
        return new Ids(HexFormat.of().formatHex(digest, 0, 16), HexFormat.of().formatHex(digest, 16, 24));
    }

    public static String traceId(String requestId) {
        return of(requestId).traceId();
    }

    /** The request's virtual root span, parent of each service's span of it; no process records it. */
    public static String rootSpanId(String requestId) {
        return of(requestId).rootSpanId();
    }

    private static byte[] digest(String requestId) {
        try {
            return MessageDigest.getInstance("SHA-256")
                    .digest(("imprint-request:" + requestId).getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
