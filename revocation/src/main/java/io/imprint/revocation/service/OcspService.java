package io.imprint.revocation.service;

import io.imprint.pki.Serials;
import io.imprint.pki.crl.RevokedEntry;
import io.imprint.pki.ocsp.CertificateStatus;
import io.imprint.pki.ocsp.OcspRequest;
import io.imprint.pki.ocsp.OcspResponder;
import io.imprint.revocation.persistence.CertificateStatusQueries;
import io.imprint.revocation.persistence.CertificateStatusQueries.Issued;
import io.imprint.revocation.persistence.RevocationNotifications;
import io.imprint.revocation.service.ServedIssuers.ServedIssuer;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.math.BigInteger;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Answers OCSP requests from the database, each with the delegated responder key of the CA the request
 * names; a request for a CA this service does not answer for is refused as unauthorized. The request is parsed
 * once; the statuses come from memory ({@link IssuedStatusCache}, kept exact by the database's revocation
 * notifications) or one statement on the event loop; a response signed before for the same request and status
 * is answered there too, and only a signature (a network HSM blocks) moves to a worker.
 */
@ApplicationScoped
public class OcspService {
    /** Certificates kept in memory for repeated questions: about 150 bytes each. */
    static final int CACHED_CERTIFICATES = 200_000;

    private final ServedIssuers issuers;
    private final CertificateStatusQueries statuses;
    private final IssuedStatusCache cache = new IssuedStatusCache(CACHED_CERTIFICATES);

    public OcspService(ServedIssuers issuers, CertificateStatusQueries statuses) {
        this.issuers = issuers;
        this.statuses = statuses;
    }

    void listen(@Observes StartupEvent start, RevocationNotifications notifications) {
        notifications.listen(cache::revoked, cache::live);
    }

    /** A revocation this instance just committed: not answered from memory any more, before its notification. */
    public void revoked(String serial) {
        cache.revoked(serial);
    }

    public Uni<byte[]> respond(byte[] der) {
        OcspRequest request = OcspRequest.parse(der);
        Optional<ServedIssuer> answering = issuers.forOcspRequest(request);
        if (answering.isEmpty()) {
            return Uni.createFrom().item(OcspResponder.refusal(request));
        }
        ServedIssuer ca = answering.get();
        List<String> serials = request.serials().stream().map(Serials::hex).toList();
        return issued(ca.name(), serials).chain(issued -> {
            Function<BigInteger, CertificateStatus> lookup = lookup(issued);
            Instant now = Instant.now();
            byte[] kept = ca.responder().reusable(request, lookup, now);
            if (kept != null) {
                return Uni.createFrom().item(kept);
            }
            return Uni.createFrom()
                    .item(() -> ca.responder().respond(request, lookup, now))
                    .runSubscriptionOn(Infrastructure.getDefaultWorkerPool());
        });
    }

    /** From memory when every serial is kept there, else one read of the database, kept for next time. */
    private Uni<List<Issued>> issued(String issuer, List<String> serials) {
        Optional<List<Issued>> kept = cache.all(issuer, serials);
        if (kept.isPresent()) {
            return Uni.createFrom().item(kept.get());
        }
        long epoch = cache.epoch();
        return statuses.issuedBy(issuer, serials).invoke(read -> cache.keep(epoch, issuer, read));
    }

    /** Good or revoked only for serials this CA issued (the query keeps to them): any other is unknown. */
    private static Function<BigInteger, CertificateStatus> lookup(List<Issued> issued) {
        Map<String, CertificateStatus> status = new HashMap<>();
        for (Issued i : issued) {
            status.put(
                    i.serialNumber(),
                    i.reason() == null
                            ? new CertificateStatus.Good()
                            : new CertificateStatus.Revoked(new RevokedEntry(
                                    Serials.parse(i.serialNumber()),
                                    i.revokedAt(),
                                    i.reason().code())));
        }
        return serial -> status.getOrDefault(Serials.hex(serial), new CertificateStatus.Unknown());
    }
}
