package io.imprint.service;

import io.imprint.contracts.CloudEvent;
import io.imprint.contracts.EventCodec;
import io.imprint.contracts.EventType;
import io.imprint.contracts.events.ImprintEvent;
import io.imprint.pki.signing.ServiceCredential;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.eclipse.microprofile.reactive.messaging.Message;

/**
 * Turns an event into the Kafka message every Imprint service publishes: JSON value, CloudEvents 1.0
 * binary-mode headers, the event's own topic (or another one, such as a factory's station-results topic),
 * and the given key (the device id for device topics). Commands to the CA and revocations are signed.
 */
public final class EventMessages {
    private EventMessages() {}

    public static Message<byte[]> of(ImprintEvent event, String key, String service) {
        return to(EventType.of(event).topic(), event, key, service);
    }

    /** The event on another topic than its own: a factory's copy of its answers. */
    public static Message<byte[]> to(String topic, ImprintEvent event, String key, String service) {
        return message(topic, event, EventCodec.encode(event), key, service, Map.of());
    }

    /**
     * The event signed with the service's credential over its exact value bytes ({@code imprint-service-cert},
     * {@code imprint-service-signature}), so its consumer can verify who sent it whatever the broker let through.
     */
    public static Message<byte[]> signed(ImprintEvent event, String key, String service, ServiceCredential credential) {
        byte[] value = EventCodec.encode(event);
        return message(EventType.of(event).topic(), event, value, key, service, credential.sign(value));
    }

    /** An event already encoded (an outbox row, say), signed over those bytes, to its type's topic. */
    public static Message<byte[]> signedEncoded(
            EventType type, byte[] value, String key, String service, ServiceCredential credential) {
        return message(type.topic(), type, value, key, service, credential.sign(value));
    }

    /** An event already encoded (an outbox row, say), sent as it is, to its type's topic. */
    public static Message<byte[]> encoded(EventType type, byte[] value, String key, String service) {
        return message(type.topic(), type, value, key, service, Map.of());
    }

    private static Message<byte[]> message(
            String topic,
            ImprintEvent event,
            byte[] value,
            String key,
            String service,
            Map<String, String> extraHeaders) {
        return message(topic, EventType.of(event), value, key, service, extraHeaders);
    }

    private static Message<byte[]> message(
            String topic, EventType type, byte[] value, String key, String service, Map<String, String> extraHeaders) {
        RecordHeaders headers = new RecordHeaders();
        CloudEvent.headers(type, CloudEvent.source(service), Instant.now())
                .forEach((name, text) -> headers.add(name, text.getBytes(StandardCharsets.UTF_8)));
        extraHeaders.forEach((name, text) -> headers.add(name, text.getBytes(StandardCharsets.UTF_8)));
        return Message.of(value)
                .addMetadata(OutgoingKafkaRecordMetadata.<String>builder()
                        .withTopic(topic)
                        .withKey(key)
                        .withHeaders(headers)
                        .build());
    }
}
