package io.imprint.pki.crl;

import java.time.Duration;
import java.time.Instant;

/**
 * When to ask for a new CRL even though nothing was revoked: relying parties must never hold a CRL past its
 * nextUpdate. A new one is due when none exists or half the current one's validity has passed, unless one
 * was asked for within {@code retryAfter} (so a signer that is down is not flooded with requests).
 */
public final class CrlSchedule {
    private CrlSchedule() {}

    /**
     * Whether a new CRL should be asked for now.
     *
     * @param thisUpdate    of the newest CRL, or null when there is none
     * @param nextUpdate    of the newest CRL, or null when there is none
     * @param lastRequested when a CRL was last asked for, or null when never
     */
    public static boolean due(
            Instant now, Instant thisUpdate, Instant nextUpdate, Instant lastRequested, Duration retryAfter) {
        boolean recentlyRequested = lastRequested != null && now.isBefore(lastRequested.plus(retryAfter));
        if (recentlyRequested) {
            return false;
        }
        if (thisUpdate == null || nextUpdate == null) {
            return true;
        }
        Instant halfLife =
                thisUpdate.plus(Duration.between(thisUpdate, nextUpdate).dividedBy(2));
        return !now.isBefore(halfLife);
    }
}
