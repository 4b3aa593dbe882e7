package io.imprint.intake.rest;

import io.imprint.intake.service.StationRevocations;
import io.imprint.pki.Serials;
import io.imprint.service.ApiError;
import io.imprint.service.OperatorRoles;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;

/**
 * Revokes station certificates, e.g. of a stolen gateway. Every intake instance refuses the station within
 * {@code imprint.intake.station-revocation-refresh} (one second by default).
 */
@Path("/stations/revocations")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed(OperatorRoles.ORDER_ADMIN)
public class StationRevocationResource {
    private final StationRevocations revocations;
    private final SecurityIdentity operator;

    public StationRevocationResource(StationRevocations revocations, SecurityIdentity operator) {
        this.revocations = revocations;
        this.operator = operator;
    }

    /**
     * The body of a station revocation.
     *
     * @param serialNumber the station certificate's serial, hex as {@code openssl x509 -serial} prints it
     */
    public record RevokeStation(String serialNumber, String comment) {}

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<Response> revoke(RevokeStation body) {
        String serial;
        try {
            serial = Serials.hex(Serials.parse(body == null ? null : body.serialNumber()));
        } catch (IllegalArgumentException | NullPointerException e) {
            return Uni.createFrom()
                    .item(new ApiError("INVALID_SERIAL", "serialNumber must be 1 to 40 hex digits")
                            .response(Response.Status.BAD_REQUEST));
        }
        return revocations
                .revoke(serial, body.comment(), operator.getPrincipal().getName())
                .map(outcome -> Response.status(outcome.created() ? Response.Status.CREATED : Response.Status.OK)
                        .entity(outcome.revocation())
                        .build());
    }

    @GET
    @RolesAllowed({OperatorRoles.ORDER_ADMIN, OperatorRoles.AUDITOR})
    public Uni<List<StationRevocations.StationRevocation>> list() {
        return revocations.list();
    }
}
