package io.imprint.fleet.rest;

import io.imprint.fleet.service.DeviceQueries;
import io.imprint.fleet.service.DeviceView;
import io.imprint.service.ApiError;
import io.imprint.service.OperatorRoles;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import org.eclipse.microprofile.openapi.annotations.Operation;

/** Read API of the device inventory (OpenAPI at {@code /q/openapi}). */
@Path("/devices")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed(OperatorRoles.AUDITOR)
public class DeviceResource {
    private final DeviceQueries devices;

    public DeviceResource(DeviceQueries devices) {
        this.devices = devices;
    }

    @GET
    @Operation(
            summary = "Devices by factory, order, status and provisioning time, a page at a time",
            description = "Every filter given must hold; from is inclusive, to exclusive (ISO-8601 instants);"
                    + " next is the cursor of the following page (after=), null on the last.")
    public Uni<Response> list(
            @QueryParam("factory") String factory,
            @QueryParam("order") String order,
            @QueryParam("status") String status,
            @QueryParam("from") String from,
            @QueryParam("to") String to,
            @QueryParam("after") String after,
            @QueryParam("limit") Integer limit) {
        try {
            return devices.list(
                            factory,
                            order,
                            status,
                            instant(from, "from"),
                            instant(to, "to"),
                            after,
                            limit == null ? 100 : limit)
                    .map(page -> Response.ok(page).build());
        } catch (IllegalArgumentException e) {
            return Uni.createFrom()
                    .item(new ApiError("INVALID_QUERY", e.getMessage()).response(Response.Status.BAD_REQUEST));
        }
    }

    @GET
    @Path("/{deviceId}")
    @Operation(summary = "A device with its certificate history")
    public Uni<Response> get(@PathParam("deviceId") String deviceId) {
        return devices.device(deviceId)
                .map(device -> device == null
                        ? ApiError.notFound("DEVICE_NOT_FOUND", "no device '" + deviceId + "' in the inventory")
                        : Response.ok(device).build());
    }

    @GET
    @Path("/by-serial/{serial}")
    @Operation(summary = "The device given the certificate with this serial, current or not")
    public Uni<Response> bySerial(@PathParam("serial") String serial) {
        if (!serial.matches("[0-9A-Fa-f]{1,40}")) {
            return Uni.createFrom()
                    .item(new ApiError("INVALID_SERIAL", "serial must be 1 to 40 hex digits")
                            .response(Response.Status.BAD_REQUEST));
        }
        return devices.bySerial(serial)
                .map(device -> device == null
                        ? ApiError.notFound("DEVICE_NOT_FOUND", "no device was given serial " + serial)
                        : Response.ok(device).build());
    }

    @GET
    @Path("/stats")
    @Operation(summary = "Devices per status")
    public Uni<DeviceView.Stats> stats() {
        return devices.stats();
    }

    private static Instant instant(String value, String name) {
        try {
            return value == null || value.isBlank() ? null : Instant.parse(value);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(name + " must be an ISO-8601 instant, e.g. 2026-11-30T00:00:00Z");
        }
    }
}
