package io.imprint.revocation.rest;

import io.imprint.contracts.RevocationReason;
import io.imprint.revocation.service.BulkRevocations;
import io.imprint.revocation.service.BulkSelector;
import io.imprint.service.ApiError;
import io.imprint.service.OperatorAuthenticator;
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
 * says how far it got.
 */
@Path("/revocations/jobs")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed(OperatorAuthenticator.ROLE)
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
    public record DryRunAnswer(boolean dryRun, long selected, long alreadyRevoked, long wouldRevoke) {}

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
        String comment = RevocationResource.comment(body.comment());
        if (RevocationResource.invalidComment(comment)) {
            return badRequest(
                    "INVALID_COMMENT",
                    "comment must be at most " + RevocationResource.MAX_COMMENT
                            + " characters, without control characters");
        }
        if (Boolean.TRUE.equals(body.dryRun())) {
            return bulk.dryRun(selector)
                    .map(d -> Response.ok(new DryRunAnswer(true, d.selected(), d.alreadyRevoked(), d.wouldRevoke()))
                            .build());
        }
        return bulk.start(selector, reason, comment, operator.getPrincipal().getName())
                .map(job -> Response.accepted(job)
                        .location(URI.create("/revocations/jobs/" + job.jobId()))
                        .build());
    }

    @GET
    @Path("/{id}")
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
