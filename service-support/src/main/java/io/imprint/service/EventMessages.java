package io.imprint.service;

import io.imprint.contracts.CloudEvent;
import io.imprint.contracts.EventCodec;
import io.imprint.contracts.EventType;
import io.imprint.contracts.events.ImprintEvent;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.eclipse.microprofile.reactive.messaging.Message;

/**
 * Turns an event into the Kafka message every Imprint service publishes: JSON value, CloudEvents 1.0
 * binary-mode headers, the event's own topic, and the given key (the device id for device topics).
 */
public final class EventMessages {
    private EventMessages() {
    }

    public static Message<byte[]> of(ImprintEvent event, String key, String service) {
        EventType type = EventType.of(event);
        RecordHeaders headers = new RecordHeaders();
        CloudEvent.headers(type, CloudEvent.source(service), Instant.now())
                .forEach((name, value) -> headers.add(name, value.getBytes(StandardCharsets.UTF_8)));
        return Message.of(EventCodec.encode(event)).addMetadata(OutgoingKafkaRecordMetadata.<String>builder()
                .withTopic(type.topic())
                .withKey(key)
                .withHeaders(headers)
                .build());
    }
}
