package io.imprint.audit.rest;

import io.imprint.audit.service.AuditService;
import io.imprint.audit.service.CheckpointService;
import io.imprint.service.ApiError;
import io.imprint.service.OperatorRoles;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.Locale;

/** Read API of the provisioning log. */
@Path("/audit")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed(OperatorRoles.AUDITOR)
public class AuditResource {
    private final AuditService audit;
    private final CheckpointService checkpoints;

    public AuditResource(AuditService audit, CheckpointService checkpoints) {
        this.audit = audit;
        this.checkpoints = checkpoints;
    }

    public record Summary(long issued, long rejected, long revoked) {}

    @GET
    @Path("/certificates/{serial}")
    @WithSession
    public Uni<Response> certificate(@PathParam("serial") String serial) {
        return audit.issuance(serial.toLowerCase(Locale.ROOT))
                .map(r -> r == null
                        ? ApiError.notFound("CERTIFICATE_NOT_FOUND", "no issued certificate with serial " + serial)
                        : Response.ok(r).build());
    }

    @GET
    @Path("/summary")
    public Uni<Summary> summary() {
        return audit.counts().map(c -> new Summary(c.get(0), c.get(1), c.get(2)));
    }

    /**
     * Recomputes the hash chain and every signed checkpoint; {@code intact=false} names the first record that
     * does not hold, or the checkpoint the log no longer matches, and why.
     */
    @GET
    @Path("/verify")
    @Blocking
    public AuditService.ChainReport verify() {
        return checkpoints.verify();
    }
}
