package io.imprint.gateway;

import io.imprint.contracts.CloudEvent;
import io.imprint.contracts.EventCodec;
import io.imprint.contracts.EventType;
import io.imprint.contracts.Topics;
import io.imprint.contracts.events.CsrSubmittedV1;
import io.imprint.pki.station.StationCredential;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerRecord;

/** A submission as a station publishes it: JSON value, CloudEvents headers, the station's signature over the value. */
public final class SignedSubmissions {
    private SignedSubmissions() {}

    public static ProducerRecord<String, byte[]> record(CsrSubmittedV1 submission, StationCredential station) {
        byte[] value = EventCodec.encode(submission);
        ProducerRecord<String, byte[]> record =
                new ProducerRecord<>(Topics.CSR_SUBMITTED, submission.deviceId(), value);
        Map<String, String> headers = new LinkedHashMap<>(
                CloudEvent.headers(EventType.CSR_SUBMITTED, "/station/" + submission.stationId(), Instant.now()));
        headers.putAll(station.sign(value));
        headers.forEach((name, v) -> record.headers().add(name, v.getBytes(StandardCharsets.UTF_8)));
        return record;
    }
}
