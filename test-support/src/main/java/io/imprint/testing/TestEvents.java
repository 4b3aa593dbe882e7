package io.imprint.testing;

import io.imprint.contracts.CloudEvent;
import io.imprint.contracts.EventCodec;
import io.imprint.contracts.EventType;
import io.imprint.contracts.events.CertIssuedV1;
import io.imprint.contracts.events.ImprintEvent;
import io.imprint.pki.Serials;
import java.time.Instant;
import java.util.UUID;

/** Events as upstream services would publish them, for testing one service on its own. */
public final class TestEvents {
    private TestEvents() {
    }

    /** A {@code cert.issued} for a fresh device and serial; the certificate body is not parsed downstream. */
    public static CertIssuedV1 issued() {
        Instant now = Instant.now();
        return new CertIssuedV1(UUID.randomUUID().toString(), "dev-" + UUID.randomUUID(), "factory-a", "station-1",
                "order-1", Serials.hex(Serials.random()), "CN=Imprint Issuing CA 1,O=Imprint Test", now,
                Instant.parse("9999-12-31T23:59:59Z"), "-----BEGIN CERTIFICATE-----\nMA==\n-----END CERTIFICATE-----\n",
                "chain", now);
    }

    /** Publishes {@code event} on its topic with CloudEvents headers. */
    public static void publish(ImprintEvent event, String key) {
        EventType type = EventType.of(event);
        TestTopics.produce(type.topic(), key, EventCodec.encode(event), CloudEvent.headers(type, "/test", Instant.now()));
    }
}
