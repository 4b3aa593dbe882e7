package io.imprint.contracts;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.imprint.contracts.events.ImprintEvent;
import java.io.IOException;

/** The one JSON mapping of events: ISO-8601 instants, nulls omitted, unknown fields ignored (tolerant reader). */
public final class EventCodec {
    /** Far deeper than any event; bounds the parser's work on a hostile record (the broker caps its size). */
    static final int MAX_NESTING = 16;

    private static final ObjectMapper MAPPER = new ObjectMapper(JsonFactory.builder()
                    .streamReadConstraints(StreamReadConstraints.builder()
                            .maxNestingDepth(MAX_NESTING)
                            .build())
                    .build())
            .registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .setSerializationInclusion(JsonInclude.Include.NON_NULL);

    private EventCodec() {}

    public static byte[] encode(ImprintEvent event) {
        try {
            return MAPPER.writeValueAsBytes(event);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot encode " + event.getClass().getSimpleName(), e);
        }
    }

    public static <T extends ImprintEvent> T decode(byte[] value, Class<T> type) {
        if (value == null || value.length == 0) {
            throw new MalformedEventException(
                    "record value is empty; expected a " + type.getSimpleName() + " JSON object", null);
        }
        try {
            return MAPPER.readValue(value, type);
        } catch (ValueInstantiationException e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            throw new MalformedEventException(type.getSimpleName() + ": " + cause.getMessage(), e);
        } catch (InvalidFormatException e) {
            throw new MalformedEventException(
                    type.getSimpleName() + ": field '" + path(e) + "' has an invalid value", e);
        } catch (MismatchedInputException e) {
            throw new MalformedEventException(
                    type.getSimpleName() + ": field '" + path(e) + "' has the wrong JSON type", e);
        } catch (IOException e) {
            throw new MalformedEventException("record value is not valid JSON for " + type.getSimpleName(), e);
        }
    }

    private static String path(MismatchedInputException e) {
        return e.getPath().stream()
                .map(ref -> ref.getFieldName() != null ? ref.getFieldName() : "[" + ref.getIndex() + "]")
                .reduce((a, b) -> a + "." + b)
                .orElse("(root)");
    }
}
