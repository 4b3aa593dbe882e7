package io.imprint.audit.rest;

import io.imprint.audit.service.AuditSearch;
import io.imprint.audit.service.AuditSearch.RecordView;
import io.imprint.pki.audit.Csv;
import io.imprint.service.ApiError;
import io.imprint.service.OperatorRoles;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import org.jboss.resteasy.reactive.RestStreamElementType;
import org.jboss.resteasy.reactive.common.util.RestMediaType;

/**
 * Search and export of the log. Filters: serial, device, factory, station, order, type (an event type such as
 * imprint.cert.issued) and from/to (ISO-8601 instants, to exclusive). Search pages with a cursor; exports
 * stream CSV, or JSON lines carrying each event and its hashes, so an export can be checked offline.
 */
@Path("/audit")
@RolesAllowed(OperatorRoles.AUDITOR)
public class RecordResource {
    private static final String CSV = "text/csv";
    private static final String CSV_HEADER = "leafIndex,eventType,requestId,deviceId,serialNumber,factoryId,"
            + "stationId,orderId,reason,occurredAt,recordedAt,hash\n";
    private final AuditSearch search;

    public RecordResource(AuditSearch search) {
        this.search = search;
    }

    /** The filters every read of the log takes. */
    public static class Filters {
        @QueryParam("serial")
        String serial;

        @QueryParam("device")
        String device;

        @QueryParam("factory")
        String factory;

        @QueryParam("station")
        String station;

        @QueryParam("order")
        String order;

        @QueryParam("type")
        String type;

        @QueryParam("from")
        String from;

        @QueryParam("to")
        String to;

        AuditSearch.Filter query() {
            return new AuditSearch.Filter(
                    serial == null ? null : serial.toLowerCase(Locale.ROOT),
                    device,
                    factory,
                    station,
                    order,
                    type,
                    instant(from, "from"),
                    instant(to, "to"));
        }

        private static Instant instant(String value, String name) {
            try {
                return value == null ? null : Instant.parse(value);
            } catch (DateTimeParseException e) {
                // Thrown before any record is streamed, so even an export answers 400 with the error body.
                throw new WebApplicationException(invalid(new IllegalArgumentException(
                        name + " must be an ISO-8601 instant, e.g. 2026-11-30T00:00:00Z")));
            }
        }
    }

    @GET
    @Path("/records")
    @Produces(MediaType.APPLICATION_JSON)
    public Uni<Response> records(
            @BeanParam Filters filters, @QueryParam("after") String after, @QueryParam("limit") Integer limit) {
        try {
            return search.search(filters.query(), after, limit == null ? 100 : limit)
                    .map(page -> Response.ok(page).build());
        } catch (IllegalArgumentException e) {
            return Uni.createFrom().item(invalid(e));
        }
    }

    @GET
    @Path("/export.csv")
    @Produces(CSV)
    public Multi<String> csv(@BeanParam Filters filters) {
        return Multi.createFrom()
                .item(CSV_HEADER)
                .onCompletion()
                .switchTo(search.export(filters.query()).map(RecordResource::csvLine));
    }

    /** JSON lines (application/x-ndjson): one record per line, as the reader takes them. */
    @GET
    @Path("/export.jsonl")
    @Produces(RestMediaType.APPLICATION_NDJSON)
    @RestStreamElementType(MediaType.APPLICATION_JSON)
    public Multi<RecordView> jsonLines(@BeanParam Filters filters) {
        return search.export(filters.query());
    }

    private static String csvLine(RecordView r) {
        return Csv.line(
                r.leafIndex(),
                r.eventType(),
                r.requestId(),
                r.deviceId(),
                r.serialNumber(),
                r.factoryId(),
                r.stationId(),
                r.orderId(),
                r.reason(),
                String.valueOf(r.occurredAt()),
                String.valueOf(r.recordedAt()),
                r.hash());
    }

    private static Response invalid(IllegalArgumentException e) {
        return new ApiError("INVALID_QUERY", e.getMessage()).response(Response.Status.BAD_REQUEST);
    }
}
