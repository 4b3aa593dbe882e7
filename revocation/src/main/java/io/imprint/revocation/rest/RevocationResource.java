package io.imprint.revocation.rest;

import io.imprint.contracts.RevocationReason;
import io.imprint.pki.Serials;
import io.imprint.revocation.messaging.IssuedLogTail;
import io.imprint.revocation.service.RevocationComments;
import io.imprint.revocation.service.RevocationService;
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
import java.util.Arrays;
import java.util.Locale;
import org.jboss.logging.Logger;

/** The operator's revocation API. */
@Path("/revocations")
@Produces(MediaType.APPLICATION_JSON)
public class RevocationResource {
    private static final Logger LOG = Logger.getLogger(RevocationResource.class);
    private final RevocationService revocation;
    private final SecurityIdentity operator;

    public RevocationResource(RevocationService revocation, SecurityIdentity operator) {
        this.revocation = revocation;
        this.operator = operator;
    }

    /**
     * An operator's revocation of one serial.
     *
     * @param comment why, in the operator's words (an incident or ticket), optional
     */
    public record RevokeRequest(String serialNumber, String reason, String comment) {}

    @POST
    @RolesAllowed(OperatorRoles.REVOKER)
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<Response> revoke(RevokeRequest body) {
        if (body == null || body.serialNumber() == null) {
            return badRequest("INVALID_SERIAL", "serialNumber is required");
        }
        String serial;
        try {
            serial = Serials.hex(Serials.parse(body.serialNumber()));
        } catch (IllegalArgumentException e) {
            return badRequest("INVALID_SERIAL", "serialNumber must be 1 to 40 hex digits");
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
        RevocationService.Revocation request = new RevocationService.Revocation(
                serial, reason, operator.getPrincipal().getName(), comment, null);
        return revocation
                .revokeOnRequest(request)
                .map(outcome -> {
                    if (outcome instanceof RevocationService.Outcome.Revoked r) {
                        return Response.status(Response.Status.CREATED)
                                .entity(r.revocation())
                                .build();
                    }
                    if (outcome instanceof RevocationService.Outcome.AlreadyRevoked r) {
                        return Response.ok(r.revocation()).build();
                    }
                    if (outcome instanceof RevocationService.Outcome.NotYetRecorded) {
                        return unavailable(
                                "ISSUANCE_NOT_YET_RECORDED",
                                "serial " + serial + " was issued but is not recorded here yet; ask again");
                    }
                    return ApiError.notFound(
                            "CERTIFICATE_NOT_FOUND", "no certificate with serial " + serial + " was issued by this CA");
                })
                .onFailure(IssuedLogTail.Unreadable.class)
                .recoverWithItem(e -> {
                    LOG.warnf("could not tell whether serial %s was issued: %s", serial, e.getMessage());
                    return unavailable(
                            "ISSUED_LOG_UNAVAILABLE",
                            "serial " + serial + " is not recorded here and the broker did not answer; ask again");
                });
    }

    private static Response unavailable(String code, String message) {
        return Response.fromResponse(new ApiError(code, message).response(Response.Status.SERVICE_UNAVAILABLE))
                .header("Retry-After", "5")
                .build();
    }

    @GET
    @RolesAllowed({OperatorRoles.REVOKER, OperatorRoles.AUDITOR})
    @Path("/{serial}")
    public Uni<Response> get(@PathParam("serial") String serial) {
        return revocation
                .revocation(serial.toLowerCase(Locale.ROOT))
                .map(r -> r == null
                        ? ApiError.notFound("NOT_REVOKED", "serial " + serial + " is not revoked")
                        : Response.ok(r).build());
    }

    private static Uni<Response> badRequest(String code, String message) {
        return Uni.createFrom().item(new ApiError(code, message).response(Response.Status.BAD_REQUEST));
    }
}
