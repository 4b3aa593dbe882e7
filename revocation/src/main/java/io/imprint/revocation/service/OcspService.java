package io.imprint.revocation.service;

import io.imprint.pki.Serials;
import io.imprint.pki.crl.RevokedEntry;
import io.imprint.pki.ocsp.CertificateStatus;
import io.imprint.pki.ocsp.OcspResponder;
import io.imprint.revocation.persistence.IssuedCertificateEntity;
import io.imprint.revocation.persistence.RevocationRepository;
import io.imprint.revocation.persistence.RevokedCertificateEntity;
import io.imprint.revocation.service.ServedIssuers.ServedIssuer;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.enterprise.context.ApplicationScoped;
import java.math.BigInteger;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Answers OCSP requests from the database, each with the delegated responder key of the CA the request
 * names; a request for a CA this service does not answer for is refused as unauthorized. The database is
 * read on the event loop; the HSM signature runs on a worker thread, since a network HSM blocks.
 */
@ApplicationScoped
public class OcspService {
    private final ServedIssuers issuers;
    private final RevocationRepository store;

    public OcspService(ServedIssuers issuers, RevocationRepository store) {
        this.issuers = issuers;
        this.store = store;
    }

    public Uni<byte[]> respond(byte[] request) {
        Optional<ServedIssuer> answering = issuers.forOcspRequest(request);
        if (answering.isEmpty()) {
            return Uni.createFrom().item(OcspResponder.refusal(request));
        }
        ServedIssuer ca = answering.get();
        Set<String> serials = OcspResponder.requestedSerials(request).stream()
                .map(Serials::hex)
                .collect(Collectors.toSet());
        Uni<Function<BigInteger, CertificateStatus>> statuses = Panache.withSession(() -> store.issued(serials)
                .chain(issued -> store.revoked(serials).map(revoked -> lookup(ca.name(), issued, revoked))));
        return statuses.emitOn(Infrastructure.getDefaultWorkerPool())
                .map(lookup -> ca.responder().respond(request, lookup, Instant.now()));
    }

    /** Good or revoked only for serials this CA issued: another CA's serial is unknown to this one. */
    private static Function<BigInteger, CertificateStatus> lookup(
            String issuer, List<IssuedCertificateEntity> issued, List<RevokedCertificateEntity> revoked) {
        Map<String, CertificateStatus> status = new HashMap<>();
        issued.stream()
                .filter(i -> issuer.equals(i.issuer))
                .forEach(i -> status.put(i.serialNumber, new CertificateStatus.Good()));
        revoked.stream()
                .filter(r -> status.containsKey(r.serialNumber))
                .forEach(r -> status.put(
                        r.serialNumber,
                        new CertificateStatus.Revoked(
                                new RevokedEntry(Serials.parse(r.serialNumber), r.revokedAt, r.reason.code()))));
        return serial -> status.getOrDefault(Serials.hex(serial), new CertificateStatus.Unknown());
    }
}
