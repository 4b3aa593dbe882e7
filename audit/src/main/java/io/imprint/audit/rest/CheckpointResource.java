package io.imprint.audit.rest;

import io.imprint.audit.service.CheckpointService;
import io.imprint.audit.service.CheckpointService.CheckpointView;
import io.imprint.audit.service.ProofService;
import io.imprint.service.ApiError;
import io.imprint.service.OperatorRoles;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.Locale;
import java.util.function.Supplier;

/**
 * Signed checkpoints of the log and proofs against them. A checkpoint is made on request only when the log
 * grew, so asking often costs the HSM nothing more.
 */
@Path("/audit")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed(OperatorRoles.AUDITOR)
public class CheckpointResource {
    private final CheckpointService checkpoints;
    private final ProofService proofs;

    public CheckpointResource(CheckpointService checkpoints, ProofService proofs) {
        this.checkpoints = checkpoints;
        this.proofs = proofs;
    }

    @POST
    @Path("/checkpoints")
    @Blocking
    public CheckpointView checkpoint() {
        return checkpoints.checkpoint();
    }

    @GET
    @Path("/checkpoints/latest")
    public Uni<Response> latest() {
        return checkpoints
                .latest()
                .map(latest -> latest == null
                        ? ApiError.notFound(
                                "NO_CHECKPOINT", "no checkpoint has been signed yet (POST /audit/checkpoints)")
                        : Response.ok(latest).build());
    }

    /** The inclusion of a certificate's issuance in the newest checkpoint, or in that of {@code treeSize}. */
    @GET
    @Path("/proofs/inclusion")
    @Blocking
    public Response inclusion(@QueryParam("serial") String serial, @QueryParam("treeSize") Long treeSize) {
        if (serial == null || !serial.matches("[0-9A-Fa-f]{1,40}")) {
            return new ApiError("INVALID_SERIAL", "serial must be 1 to 40 hex digits")
                    .response(Response.Status.BAD_REQUEST);
        }
        return answer(() -> proofs.inclusion(serial.toLowerCase(Locale.ROOT), treeSize));
    }

    @GET
    @Path("/proofs/consistency")
    @Blocking
    public Response consistency(@QueryParam("first") Long first, @QueryParam("second") Long second) {
        if (first == null || second == null) {
            return new ApiError("INVALID_RANGE", "first and second tree sizes are required")
                    .response(Response.Status.BAD_REQUEST);
        }
        return answer(() -> proofs.consistency(first, second));
    }

    private static Response answer(Supplier<Object> proof) {
        try {
            return Response.ok(proof.get()).build();
        } catch (ProofService.NoProof e) {
            Response.Status status =
                    e.code().equals("INVALID_RANGE") ? Response.Status.BAD_REQUEST : Response.Status.NOT_FOUND;
            return new ApiError(e.code(), e.getMessage()).response(status);
        }
    }
}
