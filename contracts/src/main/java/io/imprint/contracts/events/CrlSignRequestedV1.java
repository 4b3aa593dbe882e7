package io.imprint.contracts.events;

import java.time.Instant;
import java.util.List;

/**
 * revocation asks the signer for a full CRL. It sends entries, never bytes to sign: the signer builds
 * the CRL itself, so a compromised revocation service cannot make the CA key sign arbitrary data.
 *
 * @param issuer    RFC 4514 name of the issuing CA whose CRL this is
 * @param crlNumber strictly increasing per issuer
 */
public record CrlSignRequestedV1(
        String requestId, String issuer, long crlNumber, Instant thisUpdate, Instant nextUpdate, List<CrlEntry> entries)
        implements ImprintEvent {
    public CrlSignRequestedV1 {
        Require.text(requestId, "requestId");
        Require.text(issuer, "issuer");
        Require.present(thisUpdate, "thisUpdate");
        Require.present(nextUpdate, "nextUpdate");
        entries = Require.list(entries, "entries");
        if (crlNumber < 1) {
            throw new IllegalArgumentException("field 'crlNumber' must be positive");
        }
        if (!nextUpdate.isAfter(thisUpdate)) {
            throw new IllegalArgumentException("field 'nextUpdate' must be after 'thisUpdate'");
        }
    }
}
