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
import io.imprint.pki.crl.RevokedEntry;
import io.imprint.pki.keys.CaKey;
import io.imprint.pki.keys.SigningPool;
import jakarta.enterprise.context.ApplicationScoped;
import java.math.BigInteger;
import java.security.cert.CRLException;
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
    private final CrlFactory factory = new CrlFactory();
    private final CrlHistory history = new CrlHistory();

    public CrlSigningService(IssuingCas cas) {
        this.cas = cas;
    }

    /** A CRL signed and ready to publish, keyed by its CA's key id. */
    public record SignedCrl(CrlPublishedV1 event, String issuerKeyId, Set<BigInteger> serials) {}

    /**
     * Signs the requested CRL, or returns empty when exactly this request was signed before (a redelivery).
     * Throws {@link UntrustedEventException} for a CA this signer does not hold, or a request that would lower
     * or reuse a CRL number or drop a revoked serial; nothing is signed then.
     */
    public Optional<SignedCrl> sign(CrlSignRequestedV1 request) {
        CaKey ca = ca(request.issuer()).key();
        String keyId = IssuerKeyId.of(ca.certificate());
        List<RevokedEntry> entries =
                request.entries().stream().map(CrlSigningService::entry).toList();
        Set<BigInteger> serials = entries.stream().map(RevokedEntry::serial).collect(Collectors.toUnmodifiableSet());
        if (history.check(keyId, request.issuer(), request.crlNumber(), serials, request.requestId())
                == CrlHistory.Decision.ALREADY_SIGNED) {
            LOG.infof(
                    "CRL %d of %s was signed before (request %s delivered again)",
                    request.crlNumber(), request.issuer(), request.requestId());
            return Optional.empty();
        }
        X509CRL crl = factory.build(ca, request.crlNumber(), request.thisUpdate(), request.nextUpdate(), entries);
        try {
            return Optional.of(new SignedCrl(
                    new CrlPublishedV1(
                            request.requestId(),
                            ca.certificate().getSubjectX500Principal().getName(),
                            request.crlNumber(),
                            request.thisUpdate(),
                            request.nextUpdate(),
                            entries.size(),
                            Base64.getEncoder().encodeToString(crl.getEncoded())),
                    keyId,
                    serials));
        } catch (CRLException e) {
            throw new IllegalStateException("cannot encode CRL " + request.crlNumber(), e);
        }
    }

    /** Remembers a CRL once it is published, so the next request is held against it. */
    public void published(SignedCrl crl) {
        history.signed(
                crl.issuerKeyId(),
                crl.event().crlNumber(),
                crl.serials(),
                crl.event().requestId());
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
