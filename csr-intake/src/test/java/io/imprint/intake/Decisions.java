package io.imprint.intake;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.imprint.contracts.EventCodec;
import io.imprint.contracts.ReasonCode;
import io.imprint.contracts.Topics;
import io.imprint.contracts.events.CsrAcceptedV1;
import io.imprint.contracts.events.CsrRejectedV1;
import io.imprint.contracts.events.CsrSubmittedV1;
import io.imprint.testing.TestTopics;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/** Waits for intake's decisions on the real broker, matched by request id. */
final class Decisions {
    static final Duration WAIT = Duration.ofSeconds(30);

    private Decisions() {}

    /** The one decision record (accepted or rejected) for each submission's request id, in submission order. */
    static Map<String, ConsumerRecord<String, byte[]>> await(Collection<CsrSubmittedV1> submissions) {
        Map<String, CsrSubmittedV1> byId = new HashMap<>();
        submissions.forEach(s -> byId.put(s.requestId(), s));
        Map<String, ConsumerRecord<String, byte[]>> decisions = new HashMap<>();
        TestTopics.await(
                List.of(Topics.CSR_ACCEPTED, Topics.CSR_REJECTED),
                r -> {
                    String id = requestId(r);
                    if (id != null && byId.containsKey(id)) {
                        decisions.merge(id, r, (a, b) -> a);
                        return true;
                    }
                    return false;
                },
                submissions.size(),
                WAIT);
        assertEquals(byId.keySet(), decisions.keySet(), "a decision for every submission");
        return decisions;
    }

    static ConsumerRecord<String, byte[]> awaitOne(CsrSubmittedV1 submission) {
        return await(List.of(submission)).get(submission.requestId());
    }

    static CsrRejectedV1 assertRejected(CsrSubmittedV1 submission, ReasonCode expected) {
        ConsumerRecord<String, byte[]> record = awaitOne(submission);
        assertEquals(Topics.CSR_REJECTED, record.topic(), "rejected: " + TestTopics.value(record));
        CsrRejectedV1 rejected = EventCodec.decode(record.value(), CsrRejectedV1.class);
        assertEquals(expected, rejected.reason(), rejected.message());
        assertEquals("csr-intake", rejected.rejectedBy());
        assertEquals(submission.deviceId(), rejected.deviceId());
        assertEquals(submission.orderId(), rejected.orderId());
        assertEquals(submission.stationId(), rejected.stationId());
        return rejected;
    }

    static CsrAcceptedV1 assertAccepted(CsrSubmittedV1 submission) {
        ConsumerRecord<String, byte[]> record = awaitOne(submission);
        assertEquals(Topics.CSR_ACCEPTED, record.topic(), "accepted: " + TestTopics.value(record));
        return EventCodec.decode(record.value(), CsrAcceptedV1.class);
    }

    static long count(Map<String, ConsumerRecord<String, byte[]>> decisions, String topic) {
        return decisions.values().stream().filter(r -> r.topic().equals(topic)).count();
    }

    static String requestId(ConsumerRecord<String, byte[]> record) {
        String value = TestTopics.value(record);
        int at = value.indexOf("\"requestId\":\"");
        if (at < 0) {
            return null;
        }
        int start = at + "\"requestId\":\"".length();
        return value.substring(start, value.indexOf('"', start));
    }
}
