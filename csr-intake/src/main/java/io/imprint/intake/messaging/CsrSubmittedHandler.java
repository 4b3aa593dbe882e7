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
import org.jboss.logging.Logger;

/**
 * Consumes station submissions and publishes the decision. The offset is committed only after the decision
 * is written, so a crash re-delivers rather than loses a request, and the stored decision is published again.
 * Undecodable records go to the DLQ; so does a record whose decision failed on a database outage that
 * outlasted the retries, from where an SRE replays it.
 */
@ApplicationScoped
public class CsrSubmittedHandler {
    private static final Logger LOG = Logger.getLogger(CsrSubmittedHandler.class);
    private static final int ATTEMPTS = 5;

    private final IntakeService intake;
    private final MutinyEmitter<byte[]> events;

    public CsrSubmittedHandler(IntakeService intake, @Channel("events-out") MutinyEmitter<byte[]> events) {
        this.intake = intake;
        this.events = events;
    }

    @Incoming("csr-submitted")
    // Requests are independent, so records run concurrently on worker threads; the throttled commit strategy
    // still commits an offset only once every record before it is done, so a crash loses nothing. The pool is
    // bounded (application.properties): more requests in flight than cores only queue on the database.
    @Blocking(value = "intake-workers", ordered = false)
    public void handle(ConsumerRecord<String, byte[]> record) throws InterruptedException {
        CsrSubmittedV1 submission = IncomingRecords.decode(record, CsrSubmittedV1.class);
        String source = record.topic() + "/" + record.partition() + "/" + record.offset();
        ImprintEvent decision = null;
        for (int attempt = 1; decision == null; attempt++) {
            try {
                decision = intake.decide(submission, IncomingRecords.header(record, Headers.STATION_CERT),
                        IncomingRecords.header(record, Headers.STATION_SIGNATURE), record.value(), source);
            } catch (RuntimeException e) {
                if (attempt == ATTEMPTS) {
                    throw e;
                }
                LOG.warnf("request %s: deciding failed (%s), attempt %d of %d", submission.requestId(),
                        e.getMessage(), attempt, ATTEMPTS);
                Thread.sleep(500L << attempt);
            }
        }
        events.sendMessageAndAwait(EventMessages.of(decision, submission.deviceId(), "csr-intake"));
    }
}
