package io.imprint.revocation.rest;

import io.imprint.contracts.RevocationReason;
import io.imprint.revocation.service.BulkRevocations;
import io.imprint.revocation.service.BulkSelector;
import io.imprint.revocation.service.RevocationComments;
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
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;

/**
 * Bulk revocation: a dry run says how many certificates a selector hits; a job revokes them, asynchronously, and
 * says how far it got. A job beyond {@code imprint.revocation.dual-control-threshold} certificates waits
 * ({@code AWAITING_APPROVAL}) until a second revoker approves or rejects it.
 */
@Path("/revocations/jobs")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed(OperatorRoles.REVOKER)
public class RevocationJobResource {
    private final BulkRevocations bulk;
    private final SecurityIdentity operator;

    public RevocationJobResource(BulkRevocations bulk, SecurityIdentity operator) {
        this.bulk = bulk;
        this.operator = operator;
    }

    /**
     * A bulk revocation: exactly one selector (orderId; factoryId with from and to; stationId; issuer; serials), an
     * RFC 5280 reason, why, and whether only to count.
     */
    public record JobRequest(
            String orderId,
            String factoryId,
            Instant from,
            Instant to,
            String stationId,
            String issuer,
            List<String> serials,
            String reason,
            String comment,
            Boolean dryRun) {}

    /** What a dry run found. */
    public record DryRunAnswer(
            boolean dryRun, long selected, long alreadyRevoked, long wouldRevoke, boolean needsSecondOperator) {}

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<Response> create(JobRequest body) {
        if (body == null) {
            return badRequest("INVALID_SELECTOR", "a JSON body with a selector is required");
        }
        BulkSelector selector;
        try {
            selector = new BulkSelector(
                            body.orderId(),
                            body.factoryId(),
                            body.from(),
                            body.to(),
                            body.stationId(),
                            body.issuer(),
                            body.serials())
                    .normalisedSerials();
        } catch (IllegalArgumentException e) {
            return badRequest("INVALID_SERIAL", "every serial must be 1 to 40 hex digits");
        }
        String problem = selector.problem();
        if (problem != null) {
            return badRequest("INVALID_SELECTOR", problem);
        }
        RevocationReason reason;
        try {
            reason = body.reason() == null ? RevocationReason.UNSPECIFIED : RevocationReason.valueOf(body.reason());
        } catch (IllegalArgumentException e) {
            return badRequest("INVALID_REASON", "reason must be one of " + Arrays.toString(RevocationReason.values()));
        }
        String comment = RevocationComments.kept(body.comment());
        if (RevocationComments.invalid(comment)) {
            return badRequest("INVALID_COMMENT", RevocationComments.RULE);
        }
        if (Boolean.TRUE.equals(body.dryRun())) {
            return bulk.dryRun(selector)
                    .map(d -> Response.ok(new DryRunAnswer(
                                    true,
                                    d.selected(),
                                    d.alreadyRevoked(),
                                    d.wouldRevoke(),
                                    bulk.needsSecondOperator(d.wouldRevoke())))
                            .build());
        }
        return bulk.start(selector, reason, comment, operator.getPrincipal().getName())
                .map(job -> Response.accepted(job)
                        .location(URI.create("/revocations/jobs/" + job.jobId()))
                        .build());
    }

    /** A second revoker approves a job waiting under dual control: it starts. */
    @POST
    @Path("/{id}/approve")
    public Uni<Response> approve(@PathParam("id") String id) {
        return decide(id, true);
    }

    /** A second revoker turns a waiting job down: it never runs. */
    @POST
    @Path("/{id}/reject")
    public Uni<Response> reject(@PathParam("id") String id) {
        return decide(id, false);
    }

    private Uni<Response> decide(String id, boolean approve) {
        return bulk.decide(id, operator.getPrincipal().getName(), approve).map(decision -> {
            if (decision.refusal() == null) {
                return Response.ok(decision.job()).build();
            }
            return switch (decision.refusal()) {
                case NOT_FOUND -> ApiError.notFound("JOB_NOT_FOUND", "no revocation job " + id);
                case SAME_OPERATOR ->
                    new ApiError(
                                    "SECOND_OPERATOR_REQUIRED",
                                    "the operator who asked for a job cannot approve or reject it; another revoker must")
                            .response(Response.Status.FORBIDDEN);
                case NOT_AWAITING_APPROVAL ->
                    new ApiError(
                                    "JOB_NOT_AWAITING_APPROVAL",
                                    "job " + id + " is " + decision.job().status() + ", not awaiting approval")
                            .response(Response.Status.CONFLICT);
            };
        });
    }

    @GET
    @Path("/{id}")
    @RolesAllowed({OperatorRoles.REVOKER, OperatorRoles.AUDITOR})
    public Uni<Response> get(@PathParam("id") String id) {
        return bulk.job(id)
                .map(job -> job == null
                        ? ApiError.notFound("JOB_NOT_FOUND", "no revocation job " + id)
                        : Response.ok(job).build());
    }

    private static Uni<Response> badRequest(String code, String message) {
        return Uni.createFrom().item(new ApiError(code, message).response(Response.Status.BAD_REQUEST));
    }
}
