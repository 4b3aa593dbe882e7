package io.imprint.revocation.rest;

import io.imprint.pki.ocsp.OcspCaching;
import io.imprint.revocation.service.OcspService;
import io.imprint.revocation.service.RevocationService;
import io.imprint.revocation.service.ServedIssuers;
import io.imprint.service.ApiError;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Response;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.Optional;

/** Relying parties' endpoints: the current CRL (RFC 5280) and the OCSP responder (RFC 6960, POST and GET). */
@Path("/")
public class CrlOcspResource {
    static final String CRL = "application/pkix-crl";
    static final String OCSP_REQUEST = "application/ocsp-request";
    static final String OCSP_RESPONSE = "application/ocsp-response";

    private final RevocationService revocation;
    private final OcspService ocsp;
    private final ServedIssuers issuers;

    public CrlOcspResource(RevocationService revocation, OcspService ocsp, ServedIssuers issuers) {
        this.revocation = revocation;
        this.ocsp = ocsp;
        this.issuers = issuers;
    }

    /** The current issuing CA's CRL. */
    @GET
    @Path("crl")
    @Produces({CRL, "application/json"})
    public Uni<Response> crl() {
        return revocation.latestCrl().map(CrlOcspResource::crlResponse);
    }

    /**
     * The CRL of one issuing CA, named by its key id (hex SHA-256 of its public key): the distribution point
     * the signer writes into certificates, so each certificate leads to its own CA's CRL, rollovers included.
     */
    @GET
    @Path("crl/{issuerKeyId}")
    @Produces({CRL, "application/json"})
    public Uni<Response> crl(@PathParam("issuerKeyId") String issuerKeyId) {
        return issuers.byKeyId(issuerKeyId)
                .map(ca -> revocation.latestCrl(ca).map(CrlOcspResource::crlResponse))
                .orElseGet(() -> Uni.createFrom()
                        .item(ApiError.notFound(
                                "ISSUER_UNKNOWN",
                                "no issuing CA served"
                                        + " here has that key id (64 hex digits: SHA-256 of the CA's public key)")));
    }

    private static Response crlResponse(byte[] crl) {
        return crl == null
                ? new ApiError("CRL_NOT_AVAILABLE", "no CRL has been signed yet; is the signer running?")
                        .response(Response.Status.SERVICE_UNAVAILABLE)
                : Response.ok(crl, CRL).header("Cache-Control", "max-age=60").build();
    }

    @POST
    @Path("ocsp")
    @Consumes(OCSP_REQUEST)
    @Produces(OCSP_RESPONSE)
    public Uni<Response> ocspPost(byte[] request) {
        return ocsp.respond(request).map(der -> Response.ok(der, OCSP_RESPONSE).build());
    }

    /**
     * RFC 6960 A.1: GET {url}/{url-encoding of base-64 encoding of the DER OCSPRequest}. The path parameter
     * arrives percent-decoded once, as the URL encoded it: decoding it again would turn a base64 '+' (about a
     * quarter of all requests carry one) into a space.
     */
    @GET
    @Path("ocsp/{request: .+}")
    @Produces(OCSP_RESPONSE)
    public Uni<Response> ocspGet(@PathParam("request") String base64) {
        byte[] request;
        try {
            request = Base64.getDecoder().decode(base64);
        } catch (IllegalArgumentException e) {
            request = new byte[0];
        }
        return ocsp.respond(request)
                .map(der -> cacheable(Response.ok(der, OCSP_RESPONSE), der).build());
    }

    /** RFC 5019 6.2: a GET response may be cached until the earliest nextUpdate of its answers, no longer. */
    private static Response.ResponseBuilder cacheable(Response.ResponseBuilder response, byte[] der) {
        Optional<OcspCaching> caching = OcspCaching.of(der, Instant.now());
        if (caching.isEmpty()) {
            return response.header("Cache-Control", "no-cache");
        }
        OcspCaching c = caching.get();
        return response.header("ETag", c.etag())
                .lastModified(Date.from(c.lastModified()))
                .expires(Date.from(c.expires()))
                .header("Cache-Control", "max-age=" + c.maxAge() + ", public, no-transform, must-revalidate");
    }
}
