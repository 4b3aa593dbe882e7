package io.imprint.revocation.service;

import io.imprint.pki.Serials;
import io.imprint.pki.ocsp.CertificateStatus;
import io.imprint.pki.ocsp.OcspRequest;
import io.imprint.pki.ocsp.OcspResponder;
import io.imprint.revocation.config.RevocationConfig;
import io.imprint.revocation.persistence.CertificateStatusQueries;
import io.imprint.revocation.persistence.CertificateStatusQueries.Issued;
import io.imprint.revocation.persistence.PresignedOcspResponses;
import io.imprint.revocation.persistence.PresignedOcspResponses.Presigned;
import io.imprint.revocation.persistence.RevocationNotifications;
import io.imprint.revocation.service.ServedIssuers.ServedIssuer;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.math.BigInteger;
import java.time.Duration;
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
 * notifications) or one statement on the event loop. An RFC 5019 request is answered with the response kept for it,
 * else the one {@link OcspPresigner} stored, each only while it states the status now; only a request neither answers
 * (a nonce, several certificates, a SHA-256 CertID, a status changed a moment ago) is signed, on a worker.
 */
@ApplicationScoped
public class OcspService {
    /** Successful responses by where they came from: kept in memory, pre-signed in the store, signed now. */
    static final String RESPONSES = "imprint.revocation.ocsp.responses";

    /** Certificates kept in memory for repeated questions: about 150 bytes each. */
    static final int CACHED_CERTIFICATES = 200_000;

    private final ServedIssuers issuers;
    private final CertificateStatusQueries statuses;
    private final IssuedStatusCache cache = new IssuedStatusCache(CACHED_CERTIFICATES);
    private final PresignedOcspResponses presignedResponses;
    private final Duration validity;
    /** Pre-signing off: the store is not read (what it holds ages and is never answered from). */
    private final boolean presigning;

    private final Counter reused;
    private final Counter presigned;
    private final Counter signedOnDemand;

    public OcspService(
            ServedIssuers issuers,
            CertificateStatusQueries statuses,
            PresignedOcspResponses presignedResponses,
            RevocationConfig config,
            MeterRegistry metrics) {
        this.issuers = issuers;
        this.statuses = statuses;
        this.presignedResponses = presignedResponses;
        this.validity = config.ocspValidity();
        this.presigning = config.ocspPresign();
        this.reused = metrics.counter(RESPONSES, "source", "reused");
        this.presigned = metrics.counter(RESPONSES, "source", "presigned");
        this.signedOnDemand = metrics.counter(RESPONSES, "source", "signed");
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
                reused.increment();
                return Uni.createFrom().item(kept);
            }
            BigInteger serial = presigning ? ca.responder().presignedFor(request) : null;
            if (serial == null) {
                return signed(ca, request, lookup, now);
            }
            CertificateStatus status = lookup.apply(serial);
            return presignedResponses.presigned(ca.name(), Serials.hex(serial)).chain(stored -> {
                if (stored.isPresent() && answers(stored.get(), status, now)) {
                    ca.responder()
                            .keep(
                                    request,
                                    status,
                                    stored.get().thisUpdate(),
                                    stored.get().response());
                    presigned.increment();
                    return Uni.createFrom().item(stored.get().response());
                }
                return signed(ca, request, lookup, now);
            });
        });
    }

    /** Whether a stored response states the status now and is not past its nextUpdate. */
    private boolean answers(Presigned stored, CertificateStatus status, Instant now) {
        return (status instanceof CertificateStatus.Revoked) == stored.revoked()
                && !(status instanceof CertificateStatus.Unknown)
                && now.isBefore(stored.thisUpdate().plus(validity));
    }

    /** Signed now, on a worker (a network HSM blocks). */
    private Uni<byte[]> signed(
            ServedIssuer ca, OcspRequest request, Function<BigInteger, CertificateStatus> lookup, Instant now) {
        signedOnDemand.increment();
        return Uni.createFrom()
                .item(() -> ca.responder().respond(request, lookup, now))
                .runSubscriptionOn(Infrastructure.getDefaultWorkerPool());
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
            status.put(i.serialNumber(), i.status());
        }
        return serial -> status.getOrDefault(Serials.hex(serial), new CertificateStatus.Unknown());
    }
}
