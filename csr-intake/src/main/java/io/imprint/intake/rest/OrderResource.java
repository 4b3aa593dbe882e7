package io.imprint.intake.rest;

import io.imprint.intake.service.OrderProblem;
import io.imprint.intake.service.OrderRequest;
import io.imprint.intake.service.OrderService;
import io.imprint.intake.service.OrderService.ManifestRequest;
import io.imprint.service.ApiError;
import io.imprint.service.OperatorRoles;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/** The operator's production-order API. */
@Path("/orders")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed(OperatorRoles.ORDER_ADMIN)
public class OrderResource {
    private final OrderService orders;
    private final SecurityIdentity operator;

    public OrderResource(OrderService orders, SecurityIdentity operator) {
        this.orders = orders;
        this.operator = operator;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<Response> create(OrderRequest body) {
        return answer(orders.create(body, operator.getPrincipal().getName()), Response.Status.CREATED);
    }

    @GET
    @RolesAllowed({OperatorRoles.ORDER_ADMIN, OperatorRoles.AUDITOR})
    public Uni<Response> list(@QueryParam("factoryId") String factoryId, @QueryParam("status") String status) {
        Boolean open = status == null ? null : "OPEN".equalsIgnoreCase(status);
        return answer(orders.list(factoryId, open), Response.Status.OK);
    }

    @GET
    @RolesAllowed({OperatorRoles.ORDER_ADMIN, OperatorRoles.AUDITOR})
    @Path("/{orderId}")
    public Uni<Response> get(@PathParam("orderId") String orderId) {
        return answer(orders.get(orderId), Response.Status.OK);
    }

    @POST
    @Path("/{orderId}/close")
    public Uni<Response> close(@PathParam("orderId") String orderId) {
        return answer(orders.close(orderId, operator.getPrincipal().getName()), Response.Status.OK);
    }

    @POST
    @Path("/{orderId}/manifest")
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<Response> addToManifest(@PathParam("orderId") String orderId, ManifestRequest body) {
        return answer(orders.addToManifest(orderId, body), Response.Status.OK);
    }

    private static Uni<Response> answer(Uni<?> result, Response.Status status) {
        return result.map(entity -> Response.status(status).entity(entity).build())
                .onFailure(OrderProblem.class)
                .recoverWithItem(failure -> refusal((OrderProblem) failure));
    }

    private static Response refusal(OrderProblem problem) {
        Response.Status status = switch (problem.kind()) {
            case INVALID -> Response.Status.BAD_REQUEST;
            case CONFLICT -> Response.Status.CONFLICT;
            case NOT_FOUND -> Response.Status.NOT_FOUND;
        };
        return new ApiError(problem.code(), problem.getMessage()).response(status);
    }
}
