package io.imprint.signer.service;

import io.imprint.contracts.events.CrlEntry;
import io.imprint.contracts.events.CrlPublishedV1;
import io.imprint.contracts.events.CrlSignRequestedV1;
import io.imprint.pki.Serials;
import io.imprint.pki.crl.CrlFactory;
import io.imprint.pki.crl.RevokedEntry;
import io.imprint.pki.keys.CaKey;
import jakarta.enterprise.context.ApplicationScoped;
import java.security.cert.CRLException;
import java.security.cert.X509CRL;
import java.util.Base64;
import java.util.List;
import javax.security.auth.x500.X500Principal;

/**
 * Builds and signs CRLs from the entries revocation sends, for any issuing CA this signer holds (including
 * one rolled over, which still answers for the certificates it issued). The signer builds the CRL itself,
 * so a CA key never signs bytes chosen by another service.
 */
@ApplicationScoped
public class CrlSigningService {
    private final IssuingCas cas;
    private final CrlFactory factory = new CrlFactory();

    public CrlSigningService(IssuingCas cas) {
        this.cas = cas;
    }

    public CrlPublishedV1 sign(CrlSignRequestedV1 request) {
        X500Principal issuer = new X500Principal(request.issuer());
        CaKey ca = cas.byName(issuer).orElseThrow(() -> new IllegalArgumentException("CRL requested for issuer '"
                + request.issuer() + "', which this signer does not hold")).key();
        List<RevokedEntry> entries = request.entries().stream().map(CrlSigningService::entry).toList();
        X509CRL crl = factory.build(ca, request.crlNumber(), request.thisUpdate(), request.nextUpdate(), entries);
        try {
            return new CrlPublishedV1(request.requestId(), ca.certificate().getSubjectX500Principal().getName(),
                    request.crlNumber(), request.thisUpdate(), request.nextUpdate(), entries.size(),
                    Base64.getEncoder().encodeToString(crl.getEncoded()));
        } catch (CRLException e) {
            throw new IllegalStateException("cannot encode CRL " + request.crlNumber(), e);
        }
    }

    private static RevokedEntry entry(CrlEntry entry) {
        return new RevokedEntry(Serials.parse(entry.serialNumber()), entry.revokedAt(), entry.reason().code());
    }
}
