package io.imprint.contracts;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/** Builds the CloudEvents 1.0 binary-mode headers every Imprint event carries. */
public final class CloudEvent {
    private CloudEvent() {}

    /**
     * The CloudEvents Kafka headers of an event of this type.
     *
     * @param source the producing service as a URI reference, e.g. {@code /imprint/signer}
     */
    public static Map<String, String> headers(EventType type, String source, Instant time) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put(Headers.CE_SPECVERSION, Headers.SPEC_VERSION);
        headers.put(Headers.CE_ID, UUID.randomUUID().toString());
        headers.put(Headers.CE_SOURCE, source);
        headers.put(Headers.CE_TYPE, type.ceType());
        headers.put(Headers.CE_TIME, time.toString());
        headers.put(Headers.CONTENT_TYPE, Headers.JSON);
        return headers;
    }

    public static String source(String service) {
        return "/imprint/" + service;
    }
}
