package io.imprint.eventplane;

import io.imprint.contracts.CloudEvent;
import io.imprint.contracts.EventCodec;
import io.imprint.contracts.EventType;
import io.imprint.contracts.RevocationReason;
import io.imprint.contracts.events.RevocationRequestedV1;
import io.imprint.pki.signing.OperatorCredential;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * An operator's revocation request, signed with their own key and written to {@code revocation.requested}: how an
 * operator at headquarters revokes a certificate of an offline factory (the factory's link carries the record there
 * whenever it is up). The record's value and headers are built here; the broker principal that writes it (the desk's
 * identity) proves nothing to revocation, the operator's signature does.
 */
public final class RevocationRequestSender {
    private RevocationRequestSender() {}

    /** One signed request, ready to send: its key (the serial), the exact value bytes signed, and the headers. */
    public static final class SignedRequest {
        private final RevocationRequestedV1 request;
        private final byte[] value;
        private final Map<String, String> headers;

        SignedRequest(RevocationRequestedV1 request, byte[] value, Map<String, String> headers) {
            this.request = request;
            this.value = value.clone();
            this.headers = Map.copyOf(headers);
        }

        public RevocationRequestedV1 request() {
            return request;
        }

        public String key() {
            return request.serialNumber();
        }

        public byte[] value() {
            return value.clone();
        }

        public Map<String, String> headers() {
            return headers;
        }
    }

    public static SignedRequest sign(
            OperatorCredential operator, String serialNumber, RevocationReason reason, String comment) {
        RevocationRequestedV1 request = new RevocationRequestedV1(
                UUID.randomUUID().toString(),
                serialNumber,
                reason,
                comment,
                operator.identity().name(),
                Instant.now().truncatedTo(ChronoUnit.MILLIS));
        byte[] value = EventCodec.encode(request);
        Map<String, String> headers = new LinkedHashMap<>(CloudEvent.headers(
                EventType.REVOCATION_REQUESTED, CloudEvent.source("revocation-desk"), request.requestedAt()));
        headers.putAll(operator.sign(value));
        return new SignedRequest(request, value, headers);
    }

    /** Writes {@code signed} with the given client settings and waits for the broker's acknowledgement. */
    public static void send(Properties client, SignedRequest signed) throws InterruptedException {
        Properties props = new Properties();
        props.putAll(client);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "30000");
        props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "60000");
        try (KafkaProducer<String, byte[]> producer =
                new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer())) {
            ProducerRecord<String, byte[]> record =
                    new ProducerRecord<>(EventType.REVOCATION_REQUESTED.topic(), signed.key(), signed.value());
            signed.headers().forEach((name, v) -> record.headers().add(name, v.getBytes(StandardCharsets.UTF_8)));
            producer.send(record).get();
        } catch (ExecutionException e) {
            throw new IllegalStateException(
                    "the broker refused the request: " + e.getCause().getMessage());
        }
    }
}
