package io.imprint.audit.rest;

import io.imprint.audit.service.ReconciliationService;
import io.imprint.audit.service.ReconciliationService.Scope;
import io.imprint.audit.service.SignOffService;
import io.imprint.pki.audit.ReconciliationPage;
import io.imprint.pki.audit.ReconciliationReport;
import io.imprint.pki.audit.ShipmentCsv;
import io.imprint.service.ApiError;
import io.imprint.service.Await;
import io.imprint.service.OperatorRoles;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;
import java.io.BufferedWriter;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.function.Function;

/**
 * The quarterly audit: the reconciliation of a factory, order and period as JSON, CSV or a page; shipments
 * uploaded as a warehouse file; and sign-offs, each a document signed by the audit key that anyone checks with
 * openssl. Uploading and signing off are an operator's.
 */
@Path("/audit")
@RolesAllowed(OperatorRoles.AUDITOR)
public class ReconciliationResource {
    private static final String CSV = "text/csv";
    private static final String CMS = "application/pkcs7-signature";
    private final ReconciliationService reconciliation;
    private final SignOffService signOffs;
    private final SecurityIdentity operator;

    public ReconciliationResource(
            ReconciliationService reconciliation, SignOffService signOffs, SecurityIdentity operator) {
        this.reconciliation = reconciliation;
        this.signOffs = signOffs;
        this.operator = operator;
    }

    @GET
    @Path("/reconciliation")
    @Produces(MediaType.APPLICATION_JSON)
    public Uni<Response> json(@BeanParam ScopeParams scope) {
        return report(scope, report -> Response.ok(report).build());
    }

    @GET
    @Path("/reconciliation.csv")
    @Produces(CSV)
    public Uni<Response> csv(@BeanParam ScopeParams scope) {
        return report(scope, report -> Response.ok(report.csv(), CSV).build());
    }

    /** One line per device a finding names. */
    @GET
    @Path("/reconciliation/discrepancies.csv")
    @Produces(CSV)
    @Blocking
    public Response discrepancies(@BeanParam ScopeParams params) {
        Scope scope;
        try {
            scope = scope(params);
        } catch (IllegalArgumentException e) {
            return invalid(e);
        }
        ReconciliationReport report = Await.result(() -> reconciliation.report(scope));
        // Streamed as it is written: a whole fleet's findings are too many lines to hold as one text.
        StreamingOutput body = out -> {
            Writer writer = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8));
            report.writeDiscrepanciesCsv(writer);
            writer.flush();
        };
        return Response.ok(body, CSV).build();
    }

    @GET
    @Path("/reconciliation.html")
    @Produces(MediaType.TEXT_HTML)
    public Uni<Response> page(@BeanParam ScopeParams scope) {
        return report(
                scope,
                report -> Response.ok(ReconciliationPage.html(report), MediaType.TEXT_HTML + ";charset=utf-8")
                        .build());
    }

    /** A warehouse's shipment file ({@link ShipmentCsv}): each shipment is logged once, by its id. */
    @POST
    @Path("/shipments")
    @RolesAllowed(OperatorRoles.ORDER_ADMIN)
    @Consumes({CSV, MediaType.TEXT_PLAIN})
    @Produces(MediaType.APPLICATION_JSON)
    public Uni<Response> upload(String file) {
        try {
            return reconciliation
                    .upload(file == null ? "" : file)
                    .map(result -> Response.ok(result).build());
        } catch (IllegalArgumentException e) { // ShipmentCsv.InvalidShipmentFile, naming the line
            return Uni.createFrom()
                    .item(new ApiError("INVALID_SHIPMENT_FILE", e.getMessage()).response(Response.Status.BAD_REQUEST));
        }
    }

    /** The scope to sign off; every field may be left out (all factories, all orders, all time). */
    public record SignOffRequest(String factoryId, String orderId, String from, String to) {}

    @POST
    @Path("/reconciliation/sign-offs")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @Blocking
    public Response signOff(SignOffRequest request) {
        Scope scope;
        try {
            SignOffRequest r = request == null ? new SignOffRequest(null, null, null, null) : request;
            scope = new Scope(r.factoryId(), r.orderId(), instant(r.from(), "from"), instant(r.to(), "to"));
        } catch (IllegalArgumentException e) {
            return invalid(e);
        }
        SignOffService.SignOffView made =
                signOffs.signOff(scope, operator.getPrincipal().getName());
        return Response.created(URI.create("/audit/reconciliation/sign-offs/" + made.id()))
                .entity(made)
                .build();
    }

    @GET
    @Path("/reconciliation/sign-offs")
    @Produces(MediaType.APPLICATION_JSON)
    public Uni<Response> signOffs() {
        return signOffs.list().map(all -> Response.ok(all).build());
    }

    /** The document exactly as the audit key signed it. */
    @GET
    @Path("/reconciliation/sign-offs/{id}/report.json")
    @Produces(MediaType.APPLICATION_JSON)
    public Uni<Response> signedDocument(@PathParam("id") long id) {
        return signOffs.find(id)
                .map(found -> found == null
                        ? notFound(id)
                        : Response.ok(found.document(), MediaType.APPLICATION_JSON)
                                .build());
    }

    /** Its detached CMS signature, DER: {@code openssl cms -verify -binary -inform DER -content report.json}. */
    @GET
    @Path("/reconciliation/sign-offs/{id}/report.p7s")
    @Produces(CMS)
    public Uni<Response> signature(@PathParam("id") long id) {
        return signOffs.find(id)
                .map(found -> found == null
                        ? notFound(id)
                        : Response.ok(found.signature(), CMS).build());
    }

    /** The scope every reading of the reconciliation takes: factory, order, period. */
    public static class ScopeParams {
        @QueryParam("factory")
        String factory;

        @QueryParam("order")
        String order;

        @QueryParam("from")
        String from;

        @QueryParam("to")
        String to;
    }

    private Uni<Response> report(ScopeParams params, Function<ReconciliationReport, Response> as) {
        Scope scope;
        try {
            scope = scope(params);
        } catch (IllegalArgumentException e) {
            return Uni.createFrom().item(invalid(e));
        }
        return reconciliation.report(scope).map(as);
    }

    private static Scope scope(ScopeParams params) {
        return new Scope(params.factory, params.order, instant(params.from, "from"), instant(params.to, "to"));
    }

    private static Instant instant(String value, String name) {
        try {
            return value == null || value.isBlank() ? null : Instant.parse(value);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(name + " must be an ISO-8601 instant, e.g. 2026-10-01T00:00:00Z");
        }
    }

    private static Response invalid(IllegalArgumentException e) {
        return new ApiError("INVALID_QUERY", e.getMessage()).response(Response.Status.BAD_REQUEST);
    }

    private static Response notFound(long id) {
        return ApiError.notFound("SIGN_OFF_NOT_FOUND", "no sign-off " + id);
    }
}
