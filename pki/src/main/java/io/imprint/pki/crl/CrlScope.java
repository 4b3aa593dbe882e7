package io.imprint.pki.crl;

/**
 * What one CRL covers and how it relates to the others of its CA (RFC 5280 5.2.4 to 5.2.6).
 *
 * @param distributionPoint the URL of the partition this CRL covers, written as its Issuing Distribution Point
 *                          (end-entity certificates only); null for a CRL of every certificate of the CA
 * @param freshestCrl       the URL of this partition's delta CRLs, written as Freshest CRL into a full CRL; null
 *                          for none, and always null for a delta CRL
 * @param deltaBase         for a delta CRL, the number of the full CRL it completes (its Delta CRL Indicator);
 *                          null for a full CRL
 */
public record CrlScope(String distributionPoint, String freshestCrl, Long deltaBase) {
    /** A full CRL of every certificate of the CA: no IDP, no delta. */
    public static final CrlScope WHOLE_CA = new CrlScope(null, null, null);

    public CrlScope {
        if (deltaBase != null && freshestCrl != null) {
            throw new IllegalArgumentException("a delta CRL carries no Freshest CRL pointer");
        }
        if (deltaBase != null && deltaBase < 1) {
            throw new IllegalArgumentException("a delta CRL's base CRL number must be positive");
        }
    }

    /** A full CRL of one partition, naming its delta CRLs' URL when there is one. */
    public static CrlScope full(String distributionPoint, String freshestCrl) {
        return new CrlScope(distributionPoint, freshestCrl, null);
    }

    /** A delta CRL of one partition (or of the CA when {@code distributionPoint} is null) over full CRL {@code base}. */
    public static CrlScope delta(String distributionPoint, long base) {
        return new CrlScope(distributionPoint, null, base);
    }

    public boolean isDelta() {
        return deltaBase != null;
    }
}
