package io.imprint.service;

import io.imprint.contracts.EventCodec;
import io.imprint.contracts.events.ImprintEvent;
import io.smallrye.reactive.messaging.kafka.KafkaRecord;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

/**
 * Reading records in handlers. A record that does not decode throws {@code MalformedEventException}; the
 * handler lets it propagate, SmallRye nacks the record and the channel's dead-letter-queue failure strategy
 * copies it to {@code <topic>.<service>.dlq} with the reason in a header, and the consumer moves on.
 */
public final class IncomingRecords {
    private IncomingRecords() {}

    public static <T extends ImprintEvent> T decode(ConsumerRecord<String, byte[]> record, Class<T> type) {
        return EventCodec.decode(record.value(), type);
    }

    /** The event of a record a service consumes; a span of its request's trace says when it was read (RequestTraces). */
    public static <T extends ImprintEvent> T decode(KafkaRecord<String, byte[]> record, Class<T> type) {
        T event = EventCodec.decode(record.getPayload(), type);
        RequestTraces.received(record, event);
        return event;
    }

    public static String header(ConsumerRecord<String, byte[]> record, String name) {
        return header(record.headers(), name);
    }

    /** The last value of a header, or null; a header sent twice counts once, as Kafka's own lastHeader does. */
    public static String header(Headers headers, String name) {
        Header header = headers.lastHeader(name);
        return header == null || header.value() == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }
}
