package io.imprint.fleet.rest;

import io.imprint.fleet.persistence.DeviceEntity;
import io.imprint.fleet.persistence.DeviceRepository;
import io.imprint.service.ApiError;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Instant;

/** Read API of the device inventory. */
@Path("/devices")
@Produces(MediaType.APPLICATION_JSON)
public class DeviceResource {
    private final DeviceRepository devices;

    public DeviceResource(DeviceRepository devices) {
        this.devices = devices;
    }

    public record Device(String deviceId, String status, String serialNumber, String issuer, String factoryId,
            String stationId, String orderId, String requestId, Instant provisionedAt, String certificate) {
        static Device of(DeviceEntity e) {
            return new Device(e.deviceId, e.status.name(), e.serialNumber, e.issuer, e.factoryId, e.stationId,
                    e.orderId, e.requestId, e.provisionedAt, e.certificate);
        }
    }

    public record Stats(long total, long active, long revoked) {
    }

    @GET
    @Path("/{deviceId}")
    @WithSession
    public Uni<Response> get(@PathParam("deviceId") String deviceId) {
        return devices.findById(deviceId).map(device -> device == null
                ? ApiError.notFound("DEVICE_NOT_FOUND", "no device '" + deviceId + "' in the inventory")
                : Response.ok(Device.of(device)).build());
    }

    @GET
    @Path("/stats")
    @WithSession
    public Uni<Stats> stats() {
        return devices.countByStatus(DeviceEntity.Status.ACTIVE).chain(active ->
                devices.countByStatus(DeviceEntity.Status.REVOKED).map(revoked ->
                        new Stats(active + revoked, active, revoked)));
    }
}
