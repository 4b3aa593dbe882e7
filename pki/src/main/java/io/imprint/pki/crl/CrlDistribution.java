package io.imprint.pki.crl;

import java.math.BigInteger;
import java.net.URI;
import java.util.OptionalInt;

/**
 * Where a profile's certificates find their CRLs. With {@value #SHARD} in the URL, a CA's revocations are split
 * over {@code shards} partitioned CRLs (RFC 5280 5.2.5): a certificate's shard is its serial modulo
 * {@code shards}, written into its CRL distribution point, and each shard's CRL names that point in its Issuing
 * Distribution Point. Serials are random, so shards fill evenly and no CRL grows with the whole CA. The shard of a
 * certificate never changes once issued: raising {@code shards} later only spreads new certificates wider.
 *
 * @param crlUrl      full CRL URL, with {@value #SHARD} where the shard number goes (none: one CRL for the CA)
 * @param shards      how many shards new certificates are spread over; 1 without {@value #SHARD}
 * @param deltaCrlUrl delta CRL URL (the Freshest CRL pointer), with {@value #SHARD} where {@code crlUrl} has it;
 *                    null for none
 */
public record CrlDistribution(String crlUrl, int shards, String deltaCrlUrl) {
    /** Where the shard number goes in a URL. */
    public static final String SHARD = "{shard}";

    /** More shards than any CA needs (each one is a CRL to sign on every refresh). */
    static final int MAX_SHARDS = 65_536;

    public CrlDistribution {
        if (crlUrl == null || crlUrl.isBlank()) {
            throw new IllegalArgumentException("crl-url is empty");
        }
        int placeholders = occurrences(crlUrl);
        if (placeholders > 1) {
            throw new IllegalArgumentException("crl-url '" + crlUrl + "' names " + SHARD + " more than once");
        }
        if (shards < 1 || shards > MAX_SHARDS) {
            throw new IllegalArgumentException("crl-shards must be between 1 and " + MAX_SHARDS + ", not " + shards);
        }
        if (shards > 1 && placeholders == 0) {
            throw new IllegalArgumentException(
                    "crl-shards is " + shards + " but crl-url '" + crlUrl + "' has no " + SHARD + " to put it in");
        }
        if (deltaCrlUrl != null && occurrences(deltaCrlUrl) != placeholders) {
            throw new IllegalArgumentException("delta-crl-url '" + deltaCrlUrl + "' must name " + SHARD
                    + " exactly as often as crl-url '" + crlUrl + "' does");
        }
        uri(crlUrl);
        if (deltaCrlUrl != null) {
            uri(deltaCrlUrl);
        }
    }

    /** One CRL for every certificate of the CA at {@code url}, no delta; null for null. */
    public static CrlDistribution of(URI url) {
        return url == null ? null : new CrlDistribution(url.toString(), 1, null);
    }

    /** The shard of the certificate with this serial. */
    public int shardOf(BigInteger serial) {
        return serial.mod(BigInteger.valueOf(shards)).intValue();
    }

    /** The full CRL's URL of a shard: the distribution point of its certificates and its CRLs' IDP. */
    public String crlUrl(int shard) {
        return crlUrl.replace(SHARD, Integer.toString(shard));
    }

    /** The delta CRL's URL of a shard, or null when this distribution has no delta CRLs. */
    public String deltaCrlUrl(int shard) {
        return deltaCrlUrl == null ? null : deltaCrlUrl.replace(SHARD, Integer.toString(shard));
    }

    /**
     * The shard whose full CRL is at {@code url}, or empty when {@code url} is no distribution point of this
     * kind. Any shard number counts, not only those below {@code shards}: certificates issued before the count
     * was lowered still point at theirs.
     */
    public OptionalInt shardOf(String url) {
        int at = crlUrl.indexOf(SHARD);
        if (at < 0) {
            return crlUrl.equals(url) ? OptionalInt.of(0) : OptionalInt.empty();
        }
        String prefix = crlUrl.substring(0, at);
        String suffix = crlUrl.substring(at + SHARD.length());
        if (url == null
                || url.length() <= prefix.length() + suffix.length()
                || !url.startsWith(prefix)
                || !url.endsWith(suffix)) {
            return OptionalInt.empty();
        }
        String digits = url.substring(prefix.length(), url.length() - suffix.length());
        if (digits.length() > 5 || !digits.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return OptionalInt.empty();
        }
        int shard = Integer.parseInt(digits);
        return Integer.toString(shard).equals(digits) && shard < MAX_SHARDS
                ? OptionalInt.of(shard)
                : OptionalInt.empty();
    }

    private static int occurrences(String url) {
        int count = 0;
        for (int at = url.indexOf(SHARD); at >= 0; at = url.indexOf(SHARD, at + 1)) {
            count++;
        }
        return count;
    }

    /** Checks the URL as it will be written: the shard a number, any other placeholder (a CA's key id) a word. */
    private static void uri(String url) {
        try {
            URI.create(url.replace(SHARD, "0").replaceAll("\\{[a-z-]+\\}", "x"));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("'" + url + "' is not a URI: " + e.getMessage(), e);
        }
    }
}
