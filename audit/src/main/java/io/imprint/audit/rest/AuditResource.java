package io.imprint.audit.rest;

import io.imprint.audit.persistence.AuditRecordEntity;
import io.imprint.audit.persistence.AuditRepository;
import io.imprint.audit.service.AuditService;
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

/** Read API of the provisioning log. */
@Path("/audit")
@Produces(MediaType.APPLICATION_JSON)
public class AuditResource {
    private final AuditRepository records;
    private final AuditService audit;

    public AuditResource(AuditRepository records, AuditService audit) {
        this.records = records;
        this.audit = audit;
    }

    public record CertificateRecord(String serialNumber, String deviceId, String factoryId, String stationId,
            String orderId, String requestId, Instant issuedAt, Instant recordedAt, long sequence, String hash) {
        static CertificateRecord of(AuditRecordEntity r) {
            return new CertificateRecord(r.serialNumber, r.deviceId, r.factoryId, r.stationId, r.orderId, r.requestId,
                    r.occurredAt, r.recordedAt, r.id, r.hash);
        }
    }

    public record Summary(long issued, long rejected, long revoked) {
    }

    @GET
    @Path("/certificates/{serial}")
    @WithSession
    public Uni<Response> certificate(@PathParam("serial") String serial) {
        return records.issuance(serial.toLowerCase()).map(r -> r == null
                ? ApiError.notFound("CERTIFICATE_NOT_FOUND", "no issued certificate with serial " + serial)
                : Response.ok(CertificateRecord.of(r)).build());
    }

    @GET
    @Path("/summary")
    public Uni<Summary> summary() {
        return audit.counts().map(c -> new Summary(c.get(0), c.get(1), c.get(2)));
    }

    /** Recomputes the hash chain; {@code intact=false} names the first record that does not link. */
    @GET
    @Path("/verify")
    public Uni<AuditService.ChainReport> verify() {
        return audit.verify();
    }
}
