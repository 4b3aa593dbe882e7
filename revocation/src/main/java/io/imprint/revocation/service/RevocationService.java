package io.imprint.revocation.service;

import io.imprint.contracts.RevocationReason;
import io.imprint.contracts.events.CertIssuedV1;
import io.imprint.contracts.events.CertRevokedV1;
import io.imprint.revocation.config.RevocationConfig;
import io.imprint.revocation.messaging.IssuedLogTail;
import io.imprint.revocation.persistence.IssuedCertificateEntity;
import io.imprint.revocation.persistence.RevocationRepository;
import io.imprint.revocation.persistence.RevokedCertificateEntity;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.vertx.VertxContextSupport;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * Records issued serials and revokes. A revocation commits with its {@code cert.revoked} in the outbox and a mark on
 * the CRLs that must list it; the relay turns the marks into CRL requests ({@link CrlService}) and sends the events.
 * So {@code cert.revoked} never announces a revocation that could be rolled back, and is never lost to a crash after the commit. Both {@code cert.revoked} and
 * {@code crl.sign-requested} are signed with revocation's identity: the signer, audit and fleet-registry act only
 * on what revocation signed.
 */
@ApplicationScoped
public class RevocationService {
    /** Who revoked a certificate that re-provisioning replaced. */
    static final String SUPERSEDED_BY = "re-provisioning";

    private static final Logger LOG = Logger.getLogger(RevocationService.class);
    private static final long RECHECK_MILLIS = 100;

    private final RevocationRepository store;
    private final RevocationOutbox outbox;
    private final RevocationConfig config;
    private final ServedIssuers issuers;
    private final IssuedLogTail unrecorded;
    private final OcspService ocsp;

    public RevocationService(
            RevocationRepository store,
            RevocationOutbox outbox,
            RevocationConfig config,
            ServedIssuers issuers,
            IssuedLogTail unrecorded,
            OcspService ocsp) {
        this.ocsp = ocsp;
        this.store = store;
        this.outbox = outbox;
        this.config = config;
        this.issuers = issuers;
        this.unrecorded = unrecorded;
    }

    public sealed interface Outcome {
        /**
         * A new revocation.
         *
         * @param crlScope the certificate's CRL distribution point; '' for none
         */
        record Revoked(RevokedCertificateEntity stored, String deviceId, String issuer, String crlScope)
                implements Outcome {
            public RevocationView revocation() {
                return RevocationView.of(stored);
            }
        }

        record AlreadyRevoked(RevokedCertificateEntity stored) implements Outcome {
            public RevocationView revocation() {
                return RevocationView.of(stored);
            }
        }

        record NotIssued() implements Outcome {}

        /** Issued (it is in {@code cert.issued}) but not recorded here within the wait: ask again. */
        record NotYetRecorded() implements Outcome {}
    }

    /**
     * An operator's revocation. A certificate issued a moment ago may not be recorded yet (revocation consumes
     * {@code cert.issued} a poll at a time): a serial unknown here is looked for in the part of the log not yet
     * consumed, and when it is there, the revocation waits until the certificate is recorded. "Not issued" is
     * answered only for a serial in neither, the records read again after the log.
     */
    public Uni<Outcome> revokeOnRequest(Revocation revocation) {
        return revoke(revocation).chain(outcome -> {
            if (!(outcome instanceof Outcome.NotIssued)) {
                return Uni.createFrom().item(outcome);
            }
            long deadline = System.nanoTime() + config.issuanceWait().toNanos();
            // Not in the log's unconsumed part: it may have been recorded (and its offset committed) between the
            // first look and the tail's, so the records are read once more before answering "not issued".
            return VertxContextSupport.executeBlocking(() -> unrecorded.holds(revocation.serial()))
                    .chain(inLog -> inLog ? revokeOnceRecorded(revocation, deadline) : revoke(revocation));
        });
    }

    private Uni<Outcome> revokeOnceRecorded(Revocation revocation, long deadline) {
        // Waited on a worker thread, so the transaction after it runs on this request's Vert.x context again.
        return VertxContextSupport.executeBlocking(() -> {
                    Thread.sleep(RECHECK_MILLIS);
                    return null;
                })
                .chain(() -> revoke(revocation))
                .chain(outcome -> {
                    if (!(outcome instanceof Outcome.NotIssued)) {
                        return Uni.createFrom().item(outcome);
                    }
                    return System.nanoTime() - deadline > 0
                            ? Uni.createFrom().item(new Outcome.NotYetRecorded())
                            : revokeOnceRecorded(revocation, deadline);
                });
    }

    /**
     * Records an issued serial, once: a replayed {@code cert.issued} changes nothing, and a revoked serial stays
     * revoked. A device has one valid certificate: when it is re-provisioned (its order allowed that), every
     * older certificate of the device is revoked as superseded (RFC 5280 reason 4). "Older" goes by the
     * certificates' own notBefore (then serial), which the CA signed, never by a time the event claims.
     *
     * @param notBefore the verified certificate's notBefore
     */
    public Uni<Void> recordIssued(CertIssuedV1 issued, Instant notBefore) {
        return recordIssued(List.of(new Issued(issued, notBefore)));
    }

    /**
     * A {@code cert.issued} and what its verified certificate says.
     *
     * @param crlScope the certificate's CRL distribution point; '' for none
     */
    public record Issued(CertIssuedV1 event, Instant notBefore, String crlScope) {
        public Issued(CertIssuedV1 event, Instant notBefore) {
            this(event, notBefore, "");
        }
    }

    /**
     * As {@link #recordIssued(CertIssuedV1, Instant)} for one poll's certificates: the new serials in one
     * statement whatever the count (a serial already recorded stays as it is), then the devices among them that
     * now have more than one certificate.
     */
    public Uni<Void> recordIssued(List<Issued> batch) {
        Set<String> devices = new LinkedHashSet<>();
        batch.forEach(i -> devices.add(i.event().deviceId()));
        return Panache.withTransaction(() -> store.recordIssued(batch.stream()
                        .map(i -> new RevocationRepository.IssuedSerial(
                                i.event().serialNumber(),
                                i.event().issuer(),
                                i.event().deviceId(),
                                i.event().requestId(),
                                i.notBefore(),
                                i.event().factoryId(),
                                i.event().stationId(),
                                i.event().orderId(),
                                i.crlScope()))
                        .toList()))
                .chain(() -> Panache.withSession(() -> store.issuedForDevicesWithOthers(devices)))
                .chain(certificates -> {
                    Map<String, List<IssuedCertificateEntity>> byDevice = new LinkedHashMap<>();
                    certificates.forEach(c -> byDevice.computeIfAbsent(c.deviceId, d -> new ArrayList<>())
                            .add(c));
                    Uni<Void> done = Uni.createFrom().voidItem();
                    for (List<IssuedCertificateEntity> ofDevice : byDevice.values()) {
                        done = done.chain(() -> supersedeAllButNewest(ofDevice));
                    }
                    return done;
                });
    }

    private Uni<Void> supersedeAllButNewest(List<IssuedCertificateEntity> certificates) {
        IssuedCertificateEntity newest = certificates.stream()
                .max(Comparator.comparing((IssuedCertificateEntity c) -> c.issuedAt)
                        .thenComparing(c -> c.serialNumber))
                .orElse(null);
        Uni<Void> done = Uni.createFrom().voidItem();
        for (IssuedCertificateEntity older : certificates) {
            if (older != newest) {
                Revocation superseded = new Revocation(
                        older.serialNumber,
                        RevocationReason.SUPERSEDED,
                        SUPERSEDED_BY,
                        "superseded by serial " + newest.serialNumber,
                        null);
                done = done.chain(() -> revoke(superseded)).replaceWithVoid();
            }
        }
        return done;
    }

    /**
     * What to revoke and on whose word.
     *
     * @param operator who asked: an authenticated operator, or {@link #SUPERSEDED_BY}
     * @param comment  why, in the operator's words; may be null
     * @param jobId    the bulk job this is part of; null for a single revocation
     * @param requestId the id the revocation keeps, when the operator's request chose one
     *     ({@code revocation.requested}); null for a new one
     */
    public record Revocation(
            String serial, RevocationReason reason, String operator, String comment, String jobId, String requestId) {
        public Revocation(String serial, RevocationReason reason, String operator, String comment, String jobId) {
            this(serial, reason, operator, comment, jobId, null);
        }
    }

    /**
     * Revokes one serial, once: the revocation row, its {@code cert.revoked} in the outbox and the mark on its CA's
     * CRL commit together. A serial already revoked stays as it was and announces nothing more (its first
     * revocation's event is already committed).
     */
    public Uni<Outcome> revoke(Revocation request) {
        String serial = request.serial();
        return Panache.withTransaction(() -> store.issued(serial).chain(issued -> {
                    if (issued == null) {
                        return Uni.createFrom().item((Outcome) new Outcome.NotIssued());
                    }
                    return store.revoked(serial).chain(existing -> {
                        if (existing != null) {
                            return Uni.createFrom().item((Outcome) new Outcome.AlreadyRevoked(existing));
                        }
                        RevokedCertificateEntity r = new RevokedCertificateEntity();
                        r.serialNumber = serial;
                        r.reason = request.reason();
                        r.revokedAt = Instant.now().truncatedTo(ChronoUnit.SECONDS);
                        r.revokedBy = request.operator();
                        r.requestId = request.requestId() != null
                                ? request.requestId()
                                : UUID.randomUUID().toString();
                        r.comment = request.comment();
                        r.jobId = request.jobId();
                        Outcome.Revoked revoked =
                                new Outcome.Revoked(r, issued.deviceId, issued.issuer, issued.crlScope);
                        return store.lockCrlsShared()
                                .chain(() -> store.persist(r))
                                .chain(() -> announce(revoked))
                                .replaceWith((Outcome) revoked);
                    });
                }))
                .invoke(outcome -> {
                    if (outcome instanceof Outcome.Revoked) {
                        ocsp.revoked(serial);
                        outbox.committed();
                    }
                });
    }

    /** In the revocation's transaction: its event into the outbox, and a mark on its CA's CRL. */
    private Uni<Void> announce(Outcome.Revoked revoked) {
        RevokedCertificateEntity r = revoked.stored();
        LOG.infof("revoked serial %s (%s) by %s, request %s", r.serialNumber, r.reason, r.revokedBy, r.requestId);
        CertRevokedV1 event = new CertRevokedV1(
                r.requestId,
                r.serialNumber,
                revoked.issuer(),
                revoked.deviceId(),
                r.reason,
                r.revokedAt,
                r.revokedBy,
                r.comment,
                r.jobId,
                null);
        String key = event.deviceId() != null ? event.deviceId() : r.serialNumber;
        Uni<Void> queued = outbox.add(event, key);
        if (issuers.byName(revoked.issuer()).isEmpty()) {
            // Recorded and announced, but no CRL of ours can list it: say so where operators look.
            LOG.errorf(
                    "serial %s was issued by '%s', which no configured OCSP responder answers for; add its"
                            + " responder to imprint.revocation.ocsp-responder-aliases so its CRL lists the revocation",
                    r.serialNumber, revoked.issuer());
            return queued;
        }
        return queued.chain(() -> store.markCrlDue(revoked.issuer(), revoked.crlScope()));
    }

    /** The serial revoked under {@code requestId}, or null when no revocation carries it. */
    public Uni<String> serialRevokedBy(String requestId) {
        return Panache.withSession(() -> store.revokedByRequest(requestId)).map(r -> r == null ? null : r.serialNumber);
    }

    public Uni<RevocationView> revocation(String serial) {
        return Panache.withSession(() -> store.revoked(serial)).map(r -> r == null ? null : RevocationView.of(r));
    }
}
