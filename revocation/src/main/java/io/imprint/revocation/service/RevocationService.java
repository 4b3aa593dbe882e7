package io.imprint.revocation.service;

import io.imprint.contracts.RevocationReason;
import io.imprint.contracts.events.CertIssuedV1;
import io.imprint.contracts.events.CertRevokedV1;
import io.imprint.contracts.events.CrlEntry;
import io.imprint.contracts.events.CrlPublishedV1;
import io.imprint.contracts.events.CrlSignRequestedV1;
import io.imprint.pki.crl.CrlFactory;
import io.imprint.pki.crl.CrlSchedule;
import io.imprint.revocation.config.RevocationConfig;
import io.imprint.revocation.persistence.CrlEntity;
import io.imprint.revocation.persistence.CrlRequestEntity;
import io.imprint.revocation.persistence.IssuedCertificateEntity;
import io.imprint.revocation.persistence.RevocationRepository;
import io.imprint.revocation.persistence.RevokedCertificateEntity;
import io.imprint.service.EventMessages;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import jakarta.enterprise.context.ApplicationScoped;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.HexFormat;
import java.util.UUID;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.jboss.logging.Logger;

/**
 * Records issued serials, revokes, and keeps the CRL current: every revocation is followed by a request
 * for a new full CRL, which the signer builds and signs. The revocation is committed before anything is
 * published, so {@code cert.revoked} never announces a revocation that could be rolled back.
 */
@ApplicationScoped
public class RevocationService {
    static final String SERVICE = "revocation";
    /** Who revoked a certificate that re-provisioning replaced. */
    static final String SUPERSEDED_BY = "re-provisioning";
    private static final Logger LOG = Logger.getLogger(RevocationService.class);

    private final RevocationRepository store;
    private final MutinyEmitter<byte[]> events;
    private final RevocationConfig config;
    private final String issuer;
    private final X509Certificate issuerCertificate;
    private final String issuerKeyId;

    public RevocationService(RevocationRepository store, @Channel("events-out") MutinyEmitter<byte[]> events,
            RevocationConfig config, OcspService ocsp) {
        this.store = store;
        this.events = events;
        this.config = config;
        this.issuer = ocsp.issuerName();
        this.issuerCertificate = ocsp.issuer();
        this.issuerKeyId = keyId(issuerCertificate);
    }

    public sealed interface Outcome {
        record Revoked(RevokedCertificateEntity revocation, String deviceId) implements Outcome {
        }

        record AlreadyRevoked(RevokedCertificateEntity revocation) implements Outcome {
        }

        record NotIssued() implements Outcome {
        }
    }

    /**
     * Records an issued serial. A device has one valid certificate: when it is re-provisioned (its order
     * allowed that), every older certificate of the device is revoked as superseded (RFC 5280 reason 4).
     */
    public Uni<Void> recordIssued(CertIssuedV1 issued) {
        return recordSerial(issued).chain(() -> Panache.withSession(() -> store.issuedForDevice(issued.deviceId())))
                .chain(certificates -> supersedeAllButNewest(certificates));
    }

    private Uni<Void> supersedeAllButNewest(List<IssuedCertificateEntity> certificates) {
        IssuedCertificateEntity newest = certificates.stream()
                .max(Comparator.comparing((IssuedCertificateEntity c) -> c.issuedAt).thenComparing(c -> c.serialNumber))
                .orElse(null);
        Uni<Void> done = Uni.createFrom().voidItem();
        for (IssuedCertificateEntity older : certificates) {
            if (older != newest) {
                done = done.chain(() -> revoke(older.serialNumber, RevocationReason.SUPERSEDED, SUPERSEDED_BY))
                        .replaceWithVoid();
            }
        }
        return done;
    }

    private Uni<Void> recordSerial(CertIssuedV1 issued) {
        return Panache.withTransaction(() -> store.issued(issued.serialNumber()).chain(existing -> {
            if (existing != null) {
                return Uni.createFrom().voidItem();
            }
            IssuedCertificateEntity e = new IssuedCertificateEntity();
            e.serialNumber = issued.serialNumber();
            e.issuer = issued.issuer();
            e.deviceId = issued.deviceId();
            e.requestId = issued.requestId();
            e.issuedAt = issued.issuedAt();
            return store.persist(e);
        }));
    }

    public Uni<Outcome> revoke(String serial, RevocationReason reason, String operator) {
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
                r.reason = reason;
                r.revokedAt = Instant.now().truncatedTo(ChronoUnit.SECONDS);
                r.revokedBy = operator;
                r.requestId = UUID.randomUUID().toString();
                return store.persist(r).map(v -> (Outcome) new Outcome.Revoked(r, issued.deviceId));
            });
        })).call(outcome -> outcome instanceof Outcome.Revoked revoked ? announce(revoked)
                : Uni.createFrom().voidItem());
    }

    private Uni<Void> announce(Outcome.Revoked revoked) {
        RevokedCertificateEntity r = revoked.revocation();
        LOG.infof("revoked serial %s (%s) by %s, request %s", r.serialNumber, r.reason, r.revokedBy, r.requestId);
        CertRevokedV1 event = new CertRevokedV1(r.requestId, r.serialNumber, issuer, revoked.deviceId(),
                r.reason, r.revokedAt, r.revokedBy);
        String key = event.deviceId() != null ? event.deviceId() : r.serialNumber;
        return events.sendMessage(EventMessages.of(event, key, SERVICE)).chain(this::requestCrl);
    }

    /** Asks the signer for a new full CRL: the CRL number and the entry snapshot are taken under one lock. */
    public Uni<Void> requestCrl() {
        return Panache.withTransaction(() -> store.lockCrls().chain(store::allRevoked).chain(revoked -> {
            CrlRequestEntity request = new CrlRequestEntity();
            request.requestId = UUID.randomUUID().toString();
            request.entryCount = revoked.size();
            request.requestedAt = Instant.now().truncatedTo(ChronoUnit.SECONDS);
            return store.persistAndFlush(request).map(v -> new CrlSignRequestedV1(request.requestId, issuer,
                    request.crlNumber, request.requestedAt, request.requestedAt.plus(config.crlValidity()),
                    revoked.stream().map(r -> new CrlEntry(r.serialNumber, r.revokedAt, r.reason)).toList()));
        })).chain(request -> events.sendMessage(EventMessages.of(request, issuer, SERVICE)));
    }

    /** Asks for a new CRL when {@link CrlSchedule} says one is due, so the served CRL never lapses. */
    public Uni<Boolean> refreshCrlIfDue() {
        return Panache.withSession(() -> store.latestCrl(issuerKeyId)
                .chain(latest -> store.lastCrlRequest().map(last ->
                CrlSchedule.due(Instant.now(), latest == null ? null : latest.thisUpdate,
                        latest == null ? null : latest.nextUpdate, last, config.crlCheckInterval()))))
                .chain(due -> due ? requestCrl().replaceWith(true) : Uni.createFrom().item(false));
    }

    /**
     * Keeps a signed CRL unless a newer one is already stored (CRLs may arrive out of order). A CRL that
     * our issuing CA did not sign is refused: the handler dead-letters it.
     */
    public Uni<Void> store(CrlPublishedV1 published) {
        byte[] der = Base64.getDecoder().decode(published.crl());
        CrlFactory.verify(der, issuerCertificate, published.crlNumber());
        return Panache.withTransaction(() -> store.latestCrl(issuerKeyId).chain(latest -> {
            if (latest != null && latest.crlNumber >= published.crlNumber()) {
                return Uni.createFrom().voidItem();
            }
            CrlEntity crl = new CrlEntity();
            crl.crlNumber = published.crlNumber();
            crl.issuer = published.issuer();
            crl.issuerKeyId = issuerKeyId;
            crl.thisUpdate = published.thisUpdate();
            crl.nextUpdate = published.nextUpdate();
            crl.entryCount = published.entryCount();
            crl.der = der;
            return store.persist(crl);
        }));
    }

    /** The newest stored CRL that our issuing CA key signed; null when there is none. */
    public Uni<CrlEntity> latestCrl() {
        return Panache.withSession(() -> store.latestCrl(issuerKeyId));
    }


    public Uni<RevokedCertificateEntity> revocation(String serial) {
        return Panache.withSession(() -> store.revoked(serial));
    }

    private static String keyId(X509Certificate certificate) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(certificate.getPublicKey().getEncoded()));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JDK", e);
        }
    }
}
