package io.imprint.service;

import io.imprint.contracts.EventType;
import io.imprint.contracts.RequestTraceIds;
import io.imprint.contracts.events.ImprintEvent;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.quarkus.runtime.Startup;
import io.smallrye.reactive.messaging.kafka.KafkaRecord;
import io.smallrye.reactive.messaging.kafka.api.IncomingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicReference;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * OpenTelemetry traces keyed by {@code requestId}: every event a service reads becomes a span of the trace whose id is
 * derived from the event's request id, lasting from the record's timestamp (when it was written) to the moment the
 * service read it, i.e. how long the request waited at that hop. No header has to survive the way: every hop of one
 * device's request (its CSR at csr-intake, its acceptance at the signer, its certificate at audit, fleet-registry and
 * revocation) lands in one trace, across outboxes, transactions and the offline factory's mirror, and an SRE finds it
 * from the request id a station or a log names ({@link RequestTraceIds}). The spans hang under one virtual root span of the
 * request (its id also derived), which no process records.
 *
 * <p>Off unless a collector is configured ({@code quarkus.otel.sdk.disabled=false} and its endpoint); then nothing
 * is computed per record.
 */
@Startup
@ApplicationScoped
public class RequestTraces {
    private static final AttributeKey<String> REQUEST_ID = AttributeKey.stringKey("imprint.request_id");
    private static final AttributeKey<String> EVENT_TYPE = AttributeKey.stringKey("imprint.event_type");
    private static final AttributeKey<String> SYSTEM = AttributeKey.stringKey("messaging.system");
    private static final AttributeKey<String> DESTINATION = AttributeKey.stringKey("messaging.destination.name");
    private static final AttributeKey<String> OPERATION = AttributeKey.stringKey("messaging.operation.type");
    private static final AttributeKey<String> PARTITION = AttributeKey.stringKey("messaging.destination.partition.id");
    private static final AttributeKey<Long> OFFSET = AttributeKey.longKey("messaging.kafka.offset");

    /** The running service's tracer; none (no spans) outside a service or while tracing is off. */
    private static final AtomicReference<Tracer> TRACER = new AtomicReference<>();

    RequestTraces(OpenTelemetry openTelemetry, @ConfigProperty(name = "quarkus.otel.sdk.disabled") boolean disabled) {
        TRACER.set(disabled ? null : openTelemetry.getTracer("io.imprint.requests"));
    }

    /** Records that this service read {@code event} from {@code record}. */
    static void received(KafkaRecord<String, byte[]> record, ImprintEvent event) {
        Tracer tracer = TRACER.get();
        if (tracer == null || event.requestId() == null) {
            return;
        }
        String requestId = event.requestId();
        RequestTraceIds.Ids ids = RequestTraceIds.of(requestId);
        SpanContext root = SpanContext.createFromRemoteParent(
                ids.traceId(), ids.rootSpanId(), TraceFlags.getSampled(), TraceState.getDefault());
        Instant now = Instant.now();
        Instant written =
                record.getTimestamp() == null || record.getTimestamp().isAfter(now) ? now : record.getTimestamp();
        SpanBuilder span = tracer.spanBuilder("receive " + record.getTopic())
                .setParent(Context.root().with(Span.wrap(root)))
                .setSpanKind(SpanKind.CONSUMER)
                .setStartTimestamp(written)
                .setAttribute(REQUEST_ID, requestId)
                .setAttribute(EVENT_TYPE, EventType.of(event).ceType())
                .setAttribute(SYSTEM, "kafka")
                .setAttribute(DESTINATION, record.getTopic())
                .setAttribute(OPERATION, "receive")
                .setAttribute(PARTITION, String.valueOf(record.getPartition()));
        record.getMetadata(IncomingKafkaRecordMetadata.class).ifPresent(m -> span.setAttribute(OFFSET, m.getOffset()));
        span.startSpan().end(now);
    }
}
