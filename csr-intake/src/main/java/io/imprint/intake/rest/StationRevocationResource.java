package io.imprint.intake.rest;

import io.imprint.intake.persistence.IntakeStore;
import io.imprint.intake.persistence.RevokedStationEntity;
import io.imprint.intake.service.StationRevocations;
import io.imprint.pki.Serials;
import io.imprint.service.ApiError;
import io.imprint.service.OperatorApi;
import io.imprint.service.OperatorAuthenticator;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Instant;
import org.jboss.logging.Logger;

/**
 * Revokes station certificates, e.g. of a stolen gateway. Every intake instance refuses the station within
 * {@code imprint.intake.station-revocation-refresh} (one second by default).
 */
@OperatorApi
@Path("/stations/revocations")
@Produces(MediaType.APPLICATION_JSON)
public class StationRevocationResource {
    private static final Logger LOG = Logger.getLogger(StationRevocationResource.class);
    private final IntakeStore store;
    private final OperatorAuthenticator operators;
    private final StationRevocations revocations;

    public StationRevocationResource(IntakeStore store, OperatorAuthenticator operators,
            StationRevocations revocations) {
        this.store = store;
        this.operators = operators;
        this.revocations = revocations;
    }

    /** @param serialNumber the station certificate's serial, hex as {@code openssl x509 -serial} prints it */
    public record RevokeStation(String serialNumber, String comment) {
    }

    public record StationRevocation(String serialNumber, String comment, Instant revokedAt, String revokedBy) {
        static StationRevocation of(RevokedStationEntity e) {
            return new StationRevocation(e.serialNumber, e.comment, e.revokedAt, e.revokedBy);
        }
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<Response> revoke(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization, RevokeStation body) {
        var operator = operators.authenticate(authorization);
        if (operator.isEmpty()) {
            return Uni.createFrom().item(OperatorAuthenticator.unauthorized());
        }
        String serial;
        try {
            serial = Serials.hex(Serials.parse(body == null ? null : body.serialNumber()));
        } catch (IllegalArgumentException | NullPointerException e) {
            return Uni.createFrom().item(new ApiError("INVALID_SERIAL", "serialNumber must be 1 to 40 hex digits")
                    .response(Response.Status.BAD_REQUEST));
        }
        String comment = body.comment() == null ? null : body.comment().substring(0, Math.min(512, body.comment().length()));
        return Panache.withTransaction(() -> store.find(RevokedStationEntity.class, serial).chain(existing -> {
            if (existing != null) {
                return Uni.createFrom().item(Response.ok(StationRevocation.of(existing)).build());
            }
            RevokedStationEntity revoked = new RevokedStationEntity();
            revoked.serialNumber = serial;
            revoked.comment = comment;
            revoked.revokedAt = Instant.now();
            revoked.revokedBy = operator.get();
            return store.persist(revoked).map(v -> {
                LOG.infof("operator revoked station certificate %s", serial);
                return Response.status(Response.Status.CREATED).entity(StationRevocation.of(revoked)).build();
            });
        })).invoke(revocations::invalidate);
    }

    @GET
    public Uni<Response> list(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization) {
        if (operators.authenticate(authorization).isEmpty()) {
            return Uni.createFrom().item(OperatorAuthenticator.unauthorized());
        }
        return Panache.withSession(store::revokedStations).map(list -> Response.ok(
                list.stream().map(StationRevocation::of).toList()).build());
    }
}
