package io.imprint.contracts.events;

import java.time.Instant;

/**
 * The signer signed a CRL.
 *
 * @param crl               base64 (standard alphabet) DER X.509 CRL
 * @param entryCount        number of revoked certificates listed
 * @param distributionPoint its Issuing Distribution Point: the partition it covers; null for the whole CA
 * @param shard             the partition's number in the CA's distribution point URLs; null for the whole CA
 * @param deltaBase         for a delta CRL, the full CRL it completes; null for a full CRL
 */
public record CrlPublishedV1(
        String requestId,
        String issuer,
        long crlNumber,
        Instant thisUpdate,
        Instant nextUpdate,
        int entryCount,
        String crl,
        String distributionPoint,
        Integer shard,
        Long deltaBase)
        implements ImprintEvent {
    public CrlPublishedV1 {
        Require.text(requestId, "requestId");
        Require.text(issuer, "issuer");
        Require.present(thisUpdate, "thisUpdate");
        Require.present(nextUpdate, "nextUpdate");
        Require.text(crl, "crl");
        if ((distributionPoint == null) != (shard == null)) {
            throw new IllegalArgumentException("fields 'distributionPoint' and 'shard' go together");
        }
    }

    /** A full CRL of every certificate of the CA. */
    public CrlPublishedV1(
            String requestId,
            String issuer,
            long crlNumber,
            Instant thisUpdate,
            Instant nextUpdate,
            int entryCount,
            String crl) {
        this(requestId, issuer, crlNumber, thisUpdate, nextUpdate, entryCount, crl, null, null, null);
    }
}
