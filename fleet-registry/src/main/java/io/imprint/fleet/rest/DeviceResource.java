package io.imprint.fleet.rest;

import io.imprint.fleet.service.DeviceView;
import io.imprint.fleet.service.FleetService;
import io.imprint.service.ApiError;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/** Read API of the device inventory. */
@Path("/devices")
@Produces(MediaType.APPLICATION_JSON)
public class DeviceResource {
    private final FleetService fleet;

    public DeviceResource(FleetService fleet) {
        this.fleet = fleet;
    }

    @GET
    @Path("/{deviceId}")
    @WithSession
    public Uni<Response> get(@PathParam("deviceId") String deviceId) {
        return fleet.device(deviceId)
                .map(device -> device == null
                        ? ApiError.notFound("DEVICE_NOT_FOUND", "no device '" + deviceId + "' in the inventory")
                        : Response.ok(device).build());
    }

    @GET
    @Path("/stats")
    @WithSession
    public Uni<DeviceView.Stats> stats() {
        return fleet.stats();
    }
}
