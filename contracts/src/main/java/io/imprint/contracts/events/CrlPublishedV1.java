package io.imprint.contracts.events;

import java.time.Instant;

/**
 * The signer signed a CRL.
 *
 * @param crl        base64 (standard alphabet) DER X.509 CRL
 * @param entryCount number of revoked certificates listed
 */
public record CrlPublishedV1(
        String requestId,
        String issuer,
        long crlNumber,
        Instant thisUpdate,
        Instant nextUpdate,
        int entryCount,
        String crl)
        implements ImprintEvent {
    public CrlPublishedV1 {
        Require.text(requestId, "requestId");
        Require.text(issuer, "issuer");
        Require.present(thisUpdate, "thisUpdate");
        Require.present(nextUpdate, "nextUpdate");
        Require.text(crl, "crl");
    }
}
