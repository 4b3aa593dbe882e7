package io.imprint.revocation.rest;

import io.imprint.pki.HttpCaching;
import io.imprint.revocation.service.CrlService;
import io.imprint.revocation.service.CrlService.ServedCrl;
import io.imprint.revocation.service.OcspService;
import io.imprint.revocation.service.ServedIssuers;
import io.imprint.revocation.service.ServedRootCrls;
import io.imprint.service.ApiError;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.vertx.core.http.HttpServerRequest;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.EntityTag;
import jakarta.ws.rs.core.Request;
import jakarta.ws.rs.core.Response;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.Optional;

/**
 * Relying parties' endpoints: CRLs (RFC 5280: per CA, per partition, full and delta) and the OCSP responder
 * (RFC 6960, POST and GET).
 */
@Path("/")
public class CrlOcspResource {
    static final String CRL = "application/pkix-crl";
    static final String OCSP_REQUEST = "application/ocsp-request";
    static final String OCSP_RESPONSE = "application/ocsp-response";

    private final CrlService crls;
    private final OcspService ocsp;
    private final ServedIssuers issuers;
    private final ServedRootCrls roots;

    public CrlOcspResource(CrlService crls, OcspService ocsp, ServedIssuers issuers, ServedRootCrls roots) {
        this.crls = crls;
        this.ocsp = ocsp;
        this.issuers = issuers;
        this.roots = roots;
    }

    /** The current issuing CA's CRL of certificates without a distribution point (and any CA's first CRL). */
    @GET
    @Path("crl")
    @Produces({CRL, "application/json"})
    public Uni<Response> crl(@Context Request request) {
        return crls.latestCrl().map(crl -> crlResponse(crl, request));
    }

    /**
     * The CRL of one CA, named by its key id (hex SHA-256 of its public key): the distribution point written into
     * certificates, so each certificate leads to its own CA's CRL, rollovers included. An issuing CA's CRL is
     * signed by the signer; a root's, listing the CAs it revoked, in a root ceremony.
     */
    @GET
    @Path("crl/{issuerKeyId}")
    @Produces({CRL, "application/json"})
    public Uni<Response> crl(@PathParam("issuerKeyId") String issuerKeyId, @Context Request request) {
        if (roots.serves(issuerKeyId)) {
            return Uni.createFrom()
                    .item(() -> roots.crl(issuerKeyId).orElse(null))
                    .runSubscriptionOn(Infrastructure.getDefaultWorkerPool())
                    .map(der -> der == null
                            ? crlResponse(null, request)
                            : cacheable(der, CRL, HttpCaching.forCrl(der, Instant.now()), request));
        }
        return shardCrl(issuerKeyId, null, false, request);
    }

    /** The full CRL of one partition of a CA's certificates: the distribution point its certificates carry. */
    @GET
    @Path("crl/{issuerKeyId}/{shard: [0-9]{1,5}}")
    @Produces({CRL, "application/json"})
    public Uni<Response> shardCrl(
            @PathParam("issuerKeyId") String issuerKeyId, @PathParam("shard") int shard, @Context Request request) {
        return shardCrl(issuerKeyId, shard, false, request);
    }

    /**
     * The newest delta CRL of one partition (its Freshest CRL pointer), valid with any full CRL numbered at or above
     * its base.
     */
    @GET
    @Path("crl/{issuerKeyId}/{shard: [0-9]{1,5}}/delta")
    @Produces({CRL, "application/json"})
    public Uni<Response> deltaCrl(
            @PathParam("issuerKeyId") String issuerKeyId, @PathParam("shard") int shard, @Context Request request) {
        return shardCrl(issuerKeyId, shard, true, request);
    }

    private Uni<Response> shardCrl(String issuerKeyId, Integer shard, boolean delta, Request request) {
        return issuers.byKeyId(issuerKeyId)
                .map(ca -> crls.latestCrl(ca, shard, delta)
                        .map(crl -> crl == null && delta
                                ? ApiError.notFound(
                                        "DELTA_CRL_NOT_AVAILABLE",
                                        "no delta CRL since this partition's full CRL; the full CRL is complete")
                                : crlResponse(crl, request)))
                .orElseGet(() -> Uni.createFrom()
                        .item(ApiError.notFound(
                                "ISSUER_UNKNOWN",
                                "no CA served"
                                        + " here has that key id (64 hex digits: SHA-256 of the CA's public key)")));
    }

    /** A stored CRL, its caching headers from the times stored beside it: a large CRL is not parsed to serve it. */
    private static Response crlResponse(ServedCrl crl, Request request) {
        if (crl == null) {
            return new ApiError("CRL_NOT_AVAILABLE", "no CRL has been signed yet; is the signer running?")
                    .response(Response.Status.SERVICE_UNAVAILABLE);
        }
        return cacheable(
                crl.der(),
                CRL,
                HttpCaching.forCrl(crl.der(), crl.thisUpdate(), crl.nextUpdate(), Instant.now()),
                request);
    }

    @POST
    @Path("ocsp")
    @Consumes(OCSP_REQUEST)
    @Produces(OCSP_RESPONSE)
    public Uni<Response> ocspPost(byte[] request) {
        return ocsp.respond(request).map(der -> Response.ok(der, OCSP_RESPONSE).build());
    }

    /**
     * RFC 6960 A.1: GET {url}/{url-encoding of base-64 encoding of the DER OCSPRequest}. Read from the request's own
     * path, as sent: the routed path has "//" collapsed (a raw base64 may hold one), and decoding it as a query
     * would turn a base64 '+' (about a quarter of all requests carry one) into a space; percent-escapes are decoded
     * once, '+' kept.
     */
    @GET
    @Path("ocsp/{request: .+}")
    @Produces(OCSP_RESPONSE)
    public Uni<Response> ocspGet(@Context HttpServerRequest raw, @Context Request http) {
        String path = raw.path();
        String encoded = path.substring(path.indexOf("/ocsp/") + "/ocsp/".length());
        byte[] request;
        try {
            request = Base64.getDecoder()
                    .decode(URLDecoder.decode(encoded.replace("+", "%2B"), StandardCharsets.US_ASCII));
        } catch (IllegalArgumentException e) {
            request = new byte[0];
        }
        return ocsp.respond(request)
                .map(der -> cacheable(der, OCSP_RESPONSE, HttpCaching.forOcspResponse(der, Instant.now()), http));
    }

    /**
     * Served with caching headers up to the earliest nextUpdate (RFC 5019 6.2 for OCSP), no longer; a client that
     * already holds these bytes ({@code If-None-Match}) gets 304. What is not cacheable says so.
     */
    private static Response cacheable(byte[] der, String type, Optional<HttpCaching> caching, Request request) {
        if (caching.isEmpty()) {
            return Response.ok(der, type).header("Cache-Control", "no-cache").build();
        }
        HttpCaching c = caching.get();
        EntityTag tag = new EntityTag(c.etag().substring(1, c.etag().length() - 1));
        Response.ResponseBuilder unchanged = request.evaluatePreconditions(tag);
        Response.ResponseBuilder response = unchanged != null ? unchanged : Response.ok(der, type);
        return response.tag(tag)
                .lastModified(Date.from(c.lastModified()))
                .expires(Date.from(c.expires()))
                .header("Cache-Control", "max-age=" + c.maxAge() + ", public, no-transform, must-revalidate")
                .build();
    }
}
