package io.imprint.revocation.service;

import io.imprint.contracts.QuarantineReason;
import io.imprint.contracts.RevocationReason;
import io.imprint.contracts.events.CrlEntry;
import io.imprint.contracts.events.CrlPublishedV1;
import io.imprint.contracts.events.CrlSignRequestedV1;
import io.imprint.pki.UntrustedEventException;
import io.imprint.pki.crl.CrlExtensions;
import io.imprint.pki.crl.CrlFactory;
import io.imprint.pki.crl.CrlSchedule;
import io.imprint.revocation.config.RevocationConfig;
import io.imprint.revocation.persistence.CrlEntity;
import io.imprint.revocation.persistence.CrlRequestEntity;
import io.imprint.revocation.persistence.RevocationRepository;
import io.imprint.revocation.persistence.RevocationRepository.CrlRevocation;
import io.imprint.revocation.persistence.RevocationRepository.CrlSummary;
import io.imprint.revocation.service.ServedIssuers.ServedIssuer;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.security.cert.X509CRL;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import org.bouncycastle.asn1.x509.Extension;
import org.jboss.logging.Logger;

/**
 * Keeps every CRL current. A CA's CRLs are one per scope: each CRL distribution point its certificates carry (a
 * partition, RFC 5280 5.2.5), and the whole CA's CRL for certificates that carry none. A revocation marks the CRLs
 * that must list it; the relay's next round turns all marks into requests, one per marked scope however many
 * revocations it covers: a delta CRL over the newest full CRL of the scope when that full CRL names deltas and
 * the delta stays small, else a new full CRL. A schedule re-signs each CRL from half its validity on, so none
 * lapses. The signer builds and signs what is asked; signed CRLs come back on {@code crl.published} and are served.
 */
@ApplicationScoped
public class CrlService {
    private static final Logger LOG = Logger.getLogger(CrlService.class);
    /** Scopes asked for in one transaction: at 1,000,000 revocations over 256 shards, about 62,000 entries. */
    static final int SCOPES_PER_TRANSACTION = 16;

    /** The whole CA's scope: certificates without a CRL distribution point. */
    static final String WHOLE_CA = "";

    private final RevocationRepository store;
    private final RevocationOutbox outbox;
    private final RevocationConfig config;
    private final ServedIssuers issuers;

    public CrlService(
            RevocationRepository store, RevocationOutbox outbox, RevocationConfig config, ServedIssuers issuers) {
        this.store = store;
        this.outbox = outbox;
        this.config = config;
        this.issuers = issuers;
    }

    /**
     * Asks for a CRL of every scope marked since its last request (a delta where it can), a few scopes per
     * transaction: each takes its marks and commits their requests together under the exclusive CRL lock, so a
     * regeneration of every shard of a CA with a million revocations neither holds them all in memory nor holds
     * revocations back for its whole length.
     */
    public Uni<Void> requestDueCrls() {
        // Looked at without the lock first: the relay asks before every batch it sends.
        return Panache.withSession(store::anyCrlDue)
                .chain(any -> any ? requestMarkedCrls() : Uni.createFrom().voidItem());
    }

    private Uni<Void> requestMarkedCrls() {
        return Panache.withTransaction(() -> store.lockCrls()
                        .chain(() -> store.takeCrlDue(SCOPES_PER_TRANSACTION))
                        .chain(due -> {
                            Uni<Void> done = Uni.createFrom().voidItem();
                            for (ServedIssuer ca : issuers.all()) {
                                Set<String> scopes = new TreeSet<>();
                                due.stream()
                                        .filter(d -> d.issuer().equals(ca.name()))
                                        .forEach(d -> scopes.add(d.distributionPoint()));
                                if (!scopes.isEmpty()) {
                                    done = done.chain(() -> addCrlRequests(ca, Set.of(), scopes));
                                }
                            }
                            return done.replaceWith(due.size());
                        }))
                .chain(taken ->
                        taken < SCOPES_PER_TRANSACTION ? Uni.createFrom().voidItem() : requestDueCrls());
    }

    /** Asks for a new CRL of each scope that {@link CrlSchedule} says is due, so no served CRL ever lapses. */
    public Uni<Boolean> refreshCrlIfDue() {
        Uni<Boolean> any = Uni.createFrom().item(false);
        for (ServedIssuer ca : issuers.all()) {
            any = any.chain(before -> refreshCrlIfDue(ca).map(asked -> before || asked));
        }
        return any;
    }

    /** What is due in one CA's scopes: full CRLs, and deltas that only need re-signing. */
    private record Due(Set<String> full, Set<String> deltas) {
        boolean any() {
            return !full.isEmpty() || !deltas.isEmpty();
        }
    }

    private Uni<Boolean> refreshCrlIfDue(ServedIssuer ca) {
        // A marked scope is left to the relay, which asks for it with its revocations.
        return Panache.withSession(() -> store.scopes(ca.name())
                        .chain(scopes -> store.markedScopes(ca.name())
                                .chain(marked -> store.newestCrls(ca.keyId())
                                        .chain(crls -> store.lastCrlRequests(ca.name())
                                                .map(last -> due(scopes, marked, crls, last))))))
                .chain(due -> due.any()
                        ? request(ca, due).replaceWith(true)
                        : Uni.createFrom().item(false));
    }

    /** The due scopes' requests, a few scopes per transaction. */
    private Uni<Void> request(ServedIssuer ca, Due due) {
        List<String> scopes = new ArrayList<>(due.full());
        scopes.addAll(due.deltas());
        Uni<Void> done = Uni.createFrom().voidItem();
        for (int from = 0; from < scopes.size(); from += SCOPES_PER_TRANSACTION) {
            List<String> chunk = scopes.subList(from, Math.min(scopes.size(), from + SCOPES_PER_TRANSACTION));
            Set<String> full = new TreeSet<>(chunk);
            full.retainAll(due.full());
            Set<String> deltas = new TreeSet<>(chunk);
            deltas.retainAll(due.deltas());
            done = done.chain(() -> Panache.withTransaction(
                            () -> store.lockCrls().chain(() -> addCrlRequests(ca, full, deltas)))
                    .invoke(outbox::committed));
        }
        return done;
    }

    /**
     * A CA with no certificate yet has the whole CA's scope only, so it has a CRL from the start.
     *
     * @param marked scopes the relay will ask for anyway
     * @param last   when a CRL of each scope was last asked for
     */
    private Due due(List<String> scopes, List<String> marked, List<CrlSummary> crls, Map<String, Instant> last) {
        Set<String> all = new TreeSet<>(scopes);
        if (all.isEmpty()) {
            all.add(WHOLE_CA);
        }
        marked.forEach(all::remove);
        Map<String, CrlSummary> full = new HashMap<>();
        Map<String, CrlSummary> delta = new HashMap<>();
        crls.forEach(c -> (c.delta() ? delta : full).put(c.distributionPoint(), c));
        Instant now = Instant.now();
        Set<String> dueFull = new TreeSet<>();
        Set<String> dueDelta = new TreeSet<>();
        for (String scope : all) {
            CrlSummary f = full.get(scope);
            CrlSummary d = delta.get(scope);
            Instant asked = last.get(scope);
            if (CrlSchedule.due(
                    now,
                    f == null ? null : f.thisUpdate(),
                    f == null ? null : f.nextUpdate(),
                    asked,
                    config.crlCheckInterval())) {
                dueFull.add(scope);
            } else if (d != null
                    && f != null
                    && f.hasDeltas()
                    && CrlSchedule.due(now, d.thisUpdate(), d.nextUpdate(), asked, config.crlCheckInterval())) {
                dueDelta.add(scope);
            }
        }
        return new Due(dueFull, dueDelta);
    }

    /**
     * In a transaction holding the exclusive CRL lock: CRL requests into the outbox, a full CRL for each of
     * {@code full}, and for each of {@code preferDelta} a delta over the newest full CRL when there is one that
     * names deltas and at most {@code delta-crl-max-entries} revocations came since it (else a full CRL). CRL
     * numbers come from one sequence, so they increase per scope, over full and delta CRLs alike.
     */
    private Uni<Void> addCrlRequests(ServedIssuer ca, Set<String> full, Set<String> preferDelta) {
        return store.lastRevocationNumber()
                .chain(through -> store.newestCrls(ca.keyId()).chain(crls -> {
                    Map<String, CrlSummary> bases = new HashMap<>();
                    crls.stream()
                            .filter(c -> !c.delta() && c.hasDeltas())
                            .forEach(c -> bases.put(c.distributionPoint(), c));
                    Set<String> fulls = new TreeSet<>(full);
                    Uni<Void> done = Uni.createFrom().voidItem();
                    for (String scope : preferDelta) {
                        CrlSummary base = bases.get(scope);
                        if (base == null || fulls.contains(scope)) {
                            fulls.add(scope);
                            continue;
                        }
                        done = done.chain(() -> addDeltaOrFull(ca, scope, base, through, fulls));
                    }
                    return done.chain(
                            () -> fulls.isEmpty() ? Uni.createFrom().voidItem() : addFullRequests(ca, fulls, through));
                }));
    }

    /** A delta of {@code scope} over {@code base}, or the scope joins {@code fulls} when the delta would be large. */
    private Uni<Void> addDeltaOrFull(ServedIssuer ca, String scope, CrlSummary base, long through, Set<String> fulls) {
        return store.crlRequest(base.crlNumber()).chain(request -> {
            if (request == null) {
                fulls.add(scope);
                return Uni.createFrom().voidItem();
            }
            return store.revokedFor(ca.name(), Set.of(scope), false, request.revocationsThrough)
                    .chain(since -> {
                        if (since.size() > config.deltaCrlMaxEntries()) {
                            fulls.add(scope);
                            return Uni.createFrom().voidItem();
                        }
                        return addRequest(ca, scope, since, base.crlNumber(), through);
                    });
        });
    }

    /** Full CRLs of {@code scopes}, their entries read in one statement. */
    private Uni<Void> addFullRequests(ServedIssuer ca, Set<String> scopes, long through) {
        boolean wholeCa = scopes.contains(WHOLE_CA);
        return store.revokedFor(ca.name(), scopes, wholeCa, 0).chain(revoked -> {
            Map<String, List<CrlRevocation>> byScope = new LinkedHashMap<>();
            scopes.forEach(scope -> byScope.put(scope, new ArrayList<>()));
            for (CrlRevocation r : revoked) {
                List<CrlRevocation> ofScope = byScope.get(r.scope());
                if (ofScope != null && !r.scope().equals(WHOLE_CA)) {
                    ofScope.add(r);
                }
                if (wholeCa) {
                    byScope.get(WHOLE_CA).add(r);
                }
            }
            Uni<Void> done = Uni.createFrom().voidItem();
            for (Map.Entry<String, List<CrlRevocation>> scope : byScope.entrySet()) {
                done = done.chain(() -> addRequest(ca, scope.getKey(), scope.getValue(), null, through));
            }
            return done;
        });
    }

    private Uni<Void> addRequest(
            ServedIssuer ca, String scope, List<CrlRevocation> entries, Long deltaBase, long through) {
        CrlRequestEntity request = new CrlRequestEntity();
        request.requestId = UUID.randomUUID().toString();
        request.issuer = ca.name();
        request.entryCount = entries.size();
        request.requestedAt = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        request.distributionPoint = scope;
        request.deltaBase = deltaBase;
        request.revocationsThrough = through;
        return store.persistAndFlush(request)
                .chain(() -> outbox.add(
                        new CrlSignRequestedV1(
                                request.requestId,
                                ca.name(),
                                request.crlNumber,
                                request.requestedAt,
                                request.requestedAt.plus(
                                        deltaBase == null ? config.crlValidity() : config.deltaCrlValidity()),
                                entries.stream()
                                        .map(r -> new CrlEntry(
                                                r.serial(), r.revokedAt(), RevocationReason.valueOf(r.reason())))
                                        .toList(),
                                scope.equals(WHOLE_CA) ? null : scope,
                                deltaBase),
                        ca.name()))
                // A scope with more revocations than one request carries (about 8,000) keeps its last CRL; OCSP
                // still answers for every revocation. Said where operators look: more shards is the remedy.
                .onFailure(RevocationOutbox.TooLarge.class)
                .recoverWithItem(e -> {
                    LOG.errorf(
                            "no CRL asked for %s%s: its %d revocations do not fit one crl.sign-requested (%s);"
                                    + " raise the signer profile's crl-shards; relying parties must use OCSP meanwhile",
                            ca.name(), scope.equals(WHOLE_CA) ? "" : " at " + scope, entries.size(), e.getMessage());
                    return null;
                });
    }

    /**
     * Keeps a signed CRL unless a newer one of the same CA key, scope and kind is already stored (CRLs may arrive
     * out of order). A CRL that none of our CAs signed is refused: the handler quarantines it. Its scope and kind
     * are read from the CRL itself. The CRL number sequence moves past every CRL the signer published, so the next
     * request is never below what the signer has already signed (it would refuse it) even if this database lost
     * its own sequence.
     */
    public Uni<Void> store(CrlPublishedV1 published) {
        byte[] der;
        try {
            der = Base64.getDecoder().decode(published.crl());
        } catch (IllegalArgumentException e) {
            throw new UntrustedEventException(QuarantineReason.CRL_UNTRUSTED, "field 'crl' is not base64");
        }
        Signed signed = signerOf(der, published);
        String point = CrlExtensions.distributionPoint(signed.crl());
        Long base = CrlExtensions.deltaBase(signed.crl());
        String scope = point == null ? WHOLE_CA : point;
        Integer shard = published.shard();
        if ((point == null) != (shard == null) || (shard != null && !point.contains("/" + shard))) {
            throw new UntrustedEventException(
                    QuarantineReason.CRL_UNTRUSTED,
                    "CRL " + published.crlNumber() + " covers '" + scope + "', which is not shard " + shard);
        }
        ServedIssuer ca = signed.ca();
        return Panache.withTransaction(() -> store.advanceCrlNumbers(published.crlNumber())
                .chain(() -> store.latestCrl(ca.keyId(), scope, base != null))
                .chain(latest -> {
                    if (latest != null && latest.crlNumber >= published.crlNumber()) {
                        return Uni.createFrom().voidItem();
                    }
                    CrlEntity crl = new CrlEntity();
                    crl.crlNumber = published.crlNumber();
                    crl.issuer = published.issuer();
                    crl.issuerKeyId = ca.keyId();
                    crl.thisUpdate = published.thisUpdate();
                    crl.nextUpdate = published.nextUpdate();
                    crl.entryCount = published.entryCount();
                    crl.der = der;
                    crl.distributionPoint = scope;
                    crl.shard = shard;
                    crl.deltaBase = base;
                    crl.hasDeltas = signed.crl().getExtensionValue(Extension.freshestCRL.getId()) != null;
                    return store.persist(crl);
                }));
    }

    private record Signed(ServedIssuer ca, X509CRL crl) {}

    /** The served CA whose key signed the CRL; a rolled-over CA may share its successor's name, not its key. */
    private Signed signerOf(byte[] der, CrlPublishedV1 published) {
        String problem = "CRL " + published.crlNumber() + " names issuer '" + published.issuer()
                + "', which this service does not answer for";
        for (ServedIssuer ca : issuers.all()) {
            if (!ca.name().equals(published.issuer())) {
                continue;
            }
            try {
                return new Signed(ca, CrlFactory.verify(der, ca.certificate(), published.crlNumber()));
            } catch (IllegalArgumentException e) {
                problem = e.getMessage();
            }
        }
        throw new UntrustedEventException(QuarantineReason.CRL_UNTRUSTED, problem);
    }

    /** A stored CRL as served: its DER and the times its caching headers are made of, never parsed to serve it. */
    @SuppressWarnings("ArrayRecordComponent") // the signed bytes, never changed
    public record ServedCrl(byte[] der, Instant thisUpdate, Instant nextUpdate) {}

    /** The newest whole-CA CRL of the current CA; null when there is none. */
    public Uni<ServedCrl> latestCrl() {
        return latestCrl(issuers.current(), null, false);
    }

    /**
     * The newest CRL that this CA's key signed for a shard (null: the whole CA), full or delta; null when there is
     * none.
     */
    public Uni<ServedCrl> latestCrl(ServedIssuer ca, Integer shard, boolean delta) {
        return Panache.withSession(() -> store.latestCrl(ca.keyId(), shard, delta))
                .map(crl -> crl == null ? null : new ServedCrl(crl.der, crl.thisUpdate, crl.nextUpdate));
    }
}
