package io.imprint.signer.service;

import io.imprint.contracts.MalformedEventException;
import io.imprint.contracts.QuarantineReason;
import io.imprint.contracts.events.CrlEntry;
import io.imprint.contracts.events.CrlPublishedV1;
import io.imprint.contracts.events.CrlSignRequestedV1;
import io.imprint.pki.IssuerKeyId;
import io.imprint.pki.Serials;
import io.imprint.pki.UntrustedEventException;
import io.imprint.pki.crl.CrlFactory;
import io.imprint.pki.crl.CrlHistory;
import io.imprint.pki.crl.CrlScope;
import io.imprint.pki.crl.RevokedEntry;
import io.imprint.pki.keys.CaKey;
import io.imprint.pki.keys.SigningPool;
import io.imprint.signer.config.SignerConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.math.BigInteger;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import javax.security.auth.x500.X500Principal;
import org.jboss.logging.Logger;

/**
 * Builds and signs CRLs from the entries revocation sends, for any issuing CA this signer holds (including
 * one rolled over, which still answers for the certificates it issued). The signer builds the CRL itself,
 * so a CA key never signs bytes chosen by another service, and keeps the CA's invariants alone
 * ({@link CrlHistory}): CRL numbers only increase and no revoked serial ever leaves the CRL, whoever asks.
 */
@ApplicationScoped
public class CrlSigningService {
    private static final Logger LOG = Logger.getLogger(CrlSigningService.class);

    private final IssuingCas cas;
    private final SignerProfiles profiles;
    private final CrlFactory factory = new CrlFactory();
    private final CrlHistory history = new CrlHistory();

    public CrlSigningService(IssuingCas cas, SignerConfig config) {
        this.cas = cas;
        this.profiles = new SignerProfiles(config);
    }

    /**
     * A CRL signed and ready to publish, keyed by its CA's key id.
     *
     * @param scope its {@link CrlHistory#scope} key
     */
    public record SignedCrl(CrlPublishedV1 event, String issuerKeyId, String scope, Set<BigInteger> serials) {
        /**
         * Its record key on the compacted {@code crl.published}: the CA's key id, then the shard and whether it is
         * a delta, so compaction keeps the newest CRL of each kind of each partition.
         */
        public String recordKey() {
            String key = event.shard() == null ? issuerKeyId : issuerKeyId + "/" + event.shard();
            return event.deltaBase() == null ? key : key + "/delta";
        }
    }

    /**
     * Signs the requested CRL, or returns empty when exactly this request was signed before (a redelivery).
     * Throws {@link UntrustedEventException} for a CA this signer does not hold, a distribution point none of its
     * profiles writes for that CA, or a request that would lower or reuse a CRL number, drop a revoked serial or
     * base a delta on a CRL the signer never reached; nothing is signed then.
     */
    public Optional<SignedCrl> sign(CrlSignRequestedV1 request) {
        SigningPool pool = ca(request.issuer());
        CaKey ca = pool.key();
        String keyId = IssuerKeyId.of(ca.certificate());
        SignerProfiles.CrlPartition partition = request.distributionPoint() == null
                ? null
                : profiles.partition(pool, request.distributionPoint())
                        .orElseThrow(() -> new UntrustedEventException(
                                QuarantineReason.CRL_SCOPE_UNKNOWN,
                                "CRL requested for distribution point '" + request.distributionPoint() + "' of "
                                        + request.issuer() + ", which no certificate profile of that CA writes"));
        String scope = CrlHistory.scope(keyId, request.distributionPoint());
        List<RevokedEntry> entries =
                request.entries().stream().map(CrlSigningService::entry).toList();
        Set<BigInteger> serials = entries.stream().map(RevokedEntry::serial).collect(Collectors.toUnmodifiableSet());
        CrlHistory.Decision decision = request.deltaBase() == null
                ? history.check(scope, request.issuer(), request.crlNumber(), serials, request.requestId())
                : history.checkDelta(
                        scope,
                        request.issuer(),
                        request.crlNumber(),
                        request.deltaBase(),
                        serials,
                        request.requestId());
        if (decision == CrlHistory.Decision.ALREADY_SIGNED) {
            LOG.infof(
                    "CRL %d of %s was signed before (request %s delivered again)",
                    request.crlNumber(), request.issuer(), request.requestId());
            return Optional.empty();
        }
        CrlScope crlScope = partition == null
                ? (request.deltaBase() == null ? CrlScope.WHOLE_CA : CrlScope.delta(null, request.deltaBase()))
                : (request.deltaBase() == null
                        ? CrlScope.full(partition.distributionPoint(), partition.deltaCrlUrl())
                        : CrlScope.delta(partition.distributionPoint(), request.deltaBase()));
        byte[] crl =
                factory.sign(ca, request.crlNumber(), request.thisUpdate(), request.nextUpdate(), entries, crlScope);
        return Optional.of(new SignedCrl(
                new CrlPublishedV1(
                        request.requestId(),
                        ca.certificate().getSubjectX500Principal().getName(),
                        request.crlNumber(),
                        request.thisUpdate(),
                        request.nextUpdate(),
                        entries.size(),
                        Base64.getEncoder().encodeToString(crl),
                        request.distributionPoint(),
                        partition == null ? null : partition.shard(),
                        request.deltaBase()),
                keyId,
                scope,
                serials));
    }

    /** Remembers a CRL once it is published, so the next request is held against it. */
    public void published(SignedCrl crl) {
        CrlPublishedV1 event = crl.event();
        if (event.deltaBase() == null) {
            history.signed(crl.scope(), event.crlNumber(), crl.serials(), event.requestId());
        } else {
            history.signedDelta(crl.scope(), event.crlNumber(), event.deltaBase(), crl.serials(), event.requestId());
        }
    }

    /**
     * Learns a CRL from the signer's own {@code crl.published} history. Only a CRL that one of this signer's
     * CAs signed counts: anything else on that topic is ignored.
     */
    public void observe(CrlPublishedV1 published) {
        Optional<SigningPool> ca = cas.byName(new X500Principal(published.issuer()));
        if (ca.isEmpty()) {
            return;
        }
        X509Certificate certificate = ca.get().key().certificate();
        // The CRLs this signer published itself come back here too: each was recorded when it was signed, so it is
        // not decoded, verified and read again (at 256 partitions of a million revocations, that was most of the
        // signer's CPU). Only a CRL already held, number and kind, for the scope the event names is passed over.
        if (history.holds(
                CrlHistory.scope(IssuerKeyId.of(certificate), published.distributionPoint()),
                published.crlNumber(),
                published.deltaBase() != null)) {
            return;
        }
        try {
            X509CRL crl =
                    CrlFactory.verify(Base64.getDecoder().decode(published.crl()), certificate, published.crlNumber());
            history.observe(IssuerKeyId.of(certificate), crl, published.requestId());
        } catch (IllegalArgumentException e) {
            LOG.warnf(
                    "ignoring CRL %d of %s in the history: %s",
                    published.crlNumber(), published.issuer(), e.getMessage());
        }
    }

    private SigningPool ca(String issuer) {
        try {
            return cas.byName(new X500Principal(issuer))
                    .orElseThrow(() -> new UntrustedEventException(
                            QuarantineReason.CRL_ISSUER_UNKNOWN,
                            "CRL requested for issuer '" + issuer + "', which this signer does not hold"));
        } catch (IllegalArgumentException e) {
            throw new UntrustedEventException(
                    QuarantineReason.CRL_ISSUER_UNKNOWN,
                    "CRL requested for an issuer that" + " is not a distinguished name");
        }
    }

    private static RevokedEntry entry(CrlEntry entry) {
        try {
            return new RevokedEntry(
                    Serials.parse(entry.serialNumber()),
                    entry.revokedAt(),
                    entry.reason().code());
        } catch (IllegalArgumentException e) {
            throw new MalformedEventException("CrlSignRequestedV1: entries[].serialNumber " + e.getMessage(), e);
        }
    }
}
