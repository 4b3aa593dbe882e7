package io.imprint.eventplane;

import io.imprint.contracts.CloudEvent;
import io.imprint.contracts.EventCodec;
import io.imprint.contracts.EventType;
import io.imprint.contracts.RevocationReason;
import io.imprint.contracts.events.ImprintEvent;
import io.imprint.contracts.events.OrderRequestedV1;
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
 * An operator's request made by record instead of a service's HTTPS API ({@code revocation.requested},
 * {@code order.requested}), signed with their own key and written to its topic: how an operator at headquarters
 * revokes a certificate of an offline factory or opens and closes its orders (the factory's link carries the record
 * there whenever it is up). The record's value and headers are built here; the broker principal that writes it (the
 * operators' desk identity) proves nothing to the service that acts on it, the operator's signature does.
 */
public final class OperatorRequestSender {
    private OperatorRequestSender() {}

    /** One signed request, ready to send: its key, the exact value bytes signed, and the headers. */
    public static final class SignedRequest {
        private final ImprintEvent request;
        private final String key;
        private final byte[] value;
        private final Map<String, String> headers;

        SignedRequest(ImprintEvent request, String key, byte[] value, Map<String, String> headers) {
            this.request = request;
            this.key = key;
            this.value = value.clone();
            this.headers = Map.copyOf(headers);
        }

        public ImprintEvent request() {
            return request;
        }

        public String key() {
            return key;
        }

        public byte[] value() {
            return value.clone();
        }

        public Map<String, String> headers() {
            return headers;
        }
    }

    /** A revocation of {@code serialNumber} asked by {@code operator}. */
    public static SignedRequest revocation(
            OperatorCredential operator, String serialNumber, RevocationReason reason, String comment) {
        return sign(
                operator,
                new RevocationRequestedV1(
                        UUID.randomUUID().toString(),
                        serialNumber,
                        reason,
                        comment,
                        operator.identity().name(),
                        now()),
                serialNumber);
    }

    /** A production order opened by {@code operator}. */
    public static SignedRequest openOrder(
            OperatorCredential operator,
            String orderId,
            String factoryId,
            String productModel,
            long quantity,
            Instant notBefore,
            Instant notAfter) {
        return sign(
                operator,
                new OrderRequestedV1(
                        UUID.randomUUID().toString(),
                        OrderRequestedV1.OPEN,
                        orderId,
                        factoryId,
                        productModel,
                        quantity,
                        notBefore,
                        notAfter,
                        operator.identity().name(),
                        now()),
                orderId);
    }

    /** A production order closed by {@code operator}. */
    public static SignedRequest closeOrder(OperatorCredential operator, String orderId) {
        return sign(
                operator,
                new OrderRequestedV1(
                        UUID.randomUUID().toString(),
                        OrderRequestedV1.CLOSE,
                        orderId,
                        null,
                        null,
                        null,
                        null,
                        null,
                        operator.identity().name(),
                        now()),
                orderId);
    }

    private static SignedRequest sign(OperatorCredential operator, ImprintEvent request, String key) {
        byte[] value = EventCodec.encode(request);
        Map<String, String> headers = new LinkedHashMap<>(
                CloudEvent.headers(EventType.of(request), CloudEvent.source("operator-desk"), Instant.now()));
        headers.putAll(operator.sign(value));
        return new SignedRequest(request, key, value, headers);
    }

    private static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.MILLIS);
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
                    new ProducerRecord<>(EventType.of(signed.request()).topic(), signed.key(), signed.value());
            signed.headers().forEach((name, v) -> record.headers().add(name, v.getBytes(StandardCharsets.UTF_8)));
            producer.send(record).get();
        } catch (ExecutionException e) {
            throw new IllegalStateException(
                    "the broker refused the request: " + e.getCause().getMessage());
        }
    }
}
