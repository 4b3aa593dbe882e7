package io.imprint.contracts.events;

import java.time.Instant;
import java.util.List;

/**
 * revocation asks the signer for a CRL. It sends entries, never bytes to sign: the signer builds the CRL itself,
 * so a compromised revocation service cannot make the CA key sign arbitrary data.
 *
 * @param issuer            RFC 4514 name of the issuing CA whose CRL this is
 * @param crlNumber         strictly increasing per issuer
 * @param entries           for a full CRL every revocation in its scope; for a delta CRL those after its base
 * @param distributionPoint the CRL distribution point of the partition this CRL covers, exactly as the
 *                          certificates carry it; null for a CRL of every certificate of the CA
 * @param deltaBase         for a delta CRL, the number of the full CRL of the same scope it completes; null for a
 *                          full CRL
 */
public record CrlSignRequestedV1(
        String requestId,
        String issuer,
        long crlNumber,
        Instant thisUpdate,
        Instant nextUpdate,
        List<CrlEntry> entries,
        String distributionPoint,
        Long deltaBase)
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
        if (deltaBase != null && (deltaBase < 1 || deltaBase >= crlNumber)) {
            throw new IllegalArgumentException("field 'deltaBase' must be positive and below 'crlNumber'");
        }
    }

    /** A full CRL of every certificate of the CA. */
    public CrlSignRequestedV1(
            String requestId,
            String issuer,
            long crlNumber,
            Instant thisUpdate,
            Instant nextUpdate,
            List<CrlEntry> entries) {
        this(requestId, issuer, crlNumber, thisUpdate, nextUpdate, entries, null, null);
    }
}
