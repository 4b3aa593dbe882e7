package io.imprint.intake.messaging;

import io.imprint.contracts.Headers;
import io.imprint.contracts.events.CsrSubmittedV1;
import io.imprint.contracts.events.ImprintEvent;
import io.imprint.intake.service.IntakeService;
import io.imprint.service.EventMessages;
import io.imprint.service.IncomingRecords;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.annotations.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * Consumes station submissions and publishes the decision. The offset is committed only after the decision
 * is written, so a crash re-decides rather than loses a request. Undecodable records go to the DLQ.
 */
@ApplicationScoped
public class CsrSubmittedHandler {
    private final IntakeService intake;
    private final MutinyEmitter<byte[]> events;

    public CsrSubmittedHandler(IntakeService intake, @Channel("events-out") MutinyEmitter<byte[]> events) {
        this.intake = intake;
        this.events = events;
    }

    @Incoming("csr-submitted")
    // Requests are independent, so records run concurrently on worker threads; the throttled commit strategy
    // still commits an offset only once every record before it is done, so a crash loses nothing.
    @Blocking(ordered = false)
    public void handle(ConsumerRecord<String, byte[]> record) {
        CsrSubmittedV1 submission = IncomingRecords.decode(record, CsrSubmittedV1.class);
        ImprintEvent decision = intake.decide(submission, IncomingRecords.header(record, Headers.STATION_CERT),
                IncomingRecords.header(record, Headers.STATION_SIGNATURE), record.value());
        events.sendMessageAndAwait(EventMessages.of(decision, submission.deviceId(), "csr-intake"));
    }

}
