package io.imprint.intake.messaging;

import io.imprint.contracts.MalformedEventException;
import io.imprint.contracts.events.OrderRequestedV1;
import io.imprint.intake.service.OrderProblem;
import io.imprint.intake.service.OrderRequest;
import io.imprint.intake.service.OrderService;
import io.imprint.pki.operator.OperatorIdentity;
import io.imprint.service.Consumption;
import io.imprint.service.IncomingRecords;
import io.imprint.service.OperatorRequests;
import io.imprint.service.OperatorRoles;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.kafka.KafkaRecord;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/**
 * Opens and closes production orders operators asked for by a signed record ({@code order.requested}) instead of the
 * HTTPS API: an offline factory's orders made at headquarters reach it this way over its link. The operator's
 * signature and order-admin role are checked as the API checks their certificate and role, and the order is made by
 * the same code as {@code POST /orders} (its {@code order.changed} names the operator). An order is opened once and
 * closing is final, so a request read again changes nothing: an order that exists is left as it is, a closed one stays
 * closed. A request the API would refuse as invalid is set aside (MALFORMED_EVENT) with the API's reason.
 */
@ApplicationScoped
public class OrderRequests {
    private static final Logger LOG = Logger.getLogger(OrderRequests.class);

    private final OrderService orders;
    private final OperatorRequests operators;
    private final Consumption consumption;
    private final MeterRegistry metrics;

    public OrderRequests(
            OrderService orders, OperatorRequests operators, Consumption consumption, MeterRegistry metrics) {
        this.orders = orders;
        this.operators = operators;
        this.consumption = consumption;
        this.metrics = metrics;
    }

    @Incoming("order-requested")
    public Uni<Void> onRequested(KafkaRecord<String, byte[]> record) {
        return consumption.process(record, () -> {
            OrderRequestedV1 request = IncomingRecords.decode(record, OrderRequestedV1.class);
            OperatorIdentity operator = operators.verify(record, request.operator(), OperatorRoles.ORDER_ADMIN);
            Uni<?> done = request.action().equals(OrderRequestedV1.OPEN)
                    ? orders.create(order(request), operator.name())
                    : orders.close(request.orderId(), operator.name());
            return done.map(view -> "done")
                    .onFailure(OrderProblem.class)
                    .recoverWithUni(failure -> refused(request, (OrderProblem) failure))
                    .invoke(outcome -> {
                        metrics.counter("imprint.intake.order.requests", "action", request.action(), "outcome", outcome)
                                .increment();
                        LOG.infof(
                                "order request %s of operator %s: %s order %s: %s",
                                request.requestId(), operator.name(), request.action(), request.orderId(), outcome);
                    });
        });
    }

    private static OrderRequest order(OrderRequestedV1 request) {
        return new OrderRequest(
                request.orderId(),
                request.factoryId(),
                request.productModel(),
                quantity(request.quantity()),
                request.notBefore(),
                request.notAfter(),
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null);
    }

    /**
     * The record's quantity as the API's int, clamped rather than wrapped, so a value outside the int range stays out
     * of the allowed range and is refused as the API refuses it (wrapping would turn 2^32 + 1 into 1).
     */
    private static Integer quantity(Long quantity) {
        return quantity == null ? null : (int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, quantity));
    }

    /**
     * What the API would have answered 409 or 404 to is settled here; what it would refuse as invalid is set aside
     * (a failure of its own, not one raised inside a recovery, which Mutiny would wrap).
     */
    private static Uni<String> refused(OrderRequestedV1 request, OrderProblem problem) {
        return switch (problem.kind()) {
            case CONFLICT -> Uni.createFrom().item("already-done"); // opened before: order ids are never reused
            case NOT_FOUND -> Uni.createFrom().item("not-found"); // closing an order this site never held
            case INVALID ->
                Uni.createFrom()
                        .failure(new MalformedEventException(
                                "order request " + request.requestId() + ": " + problem.getMessage(), null));
        };
    }
}
