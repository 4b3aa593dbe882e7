package io.imprint.pki.ocsp;

import java.io.IOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Optional;
import org.bouncycastle.cert.ocsp.BasicOCSPResp;
import org.bouncycastle.cert.ocsp.OCSPException;
import org.bouncycastle.cert.ocsp.OCSPResp;
import org.bouncycastle.cert.ocsp.SingleResp;

/**
 * HTTP caching of an OCSP response fetched with GET (RFC 5019 section 6.2): a cache may keep it until the
 * earliest nextUpdate of its answers. Refusals and responses without nextUpdate are not cacheable.
 *
 * @param etag strong entity tag: the SHA-256 of the response, quoted
 * @param lastModified the response's producedAt
 * @param expires the earliest nextUpdate
 * @param maxAge seconds from {@code now} until {@code expires}
 */
public record OcspCaching(String etag, Instant lastModified, Instant expires, long maxAge) {
    /** The caching headers' values for {@code responseDer} as of {@code now}, or empty when it is not cacheable. */
    public static Optional<OcspCaching> of(byte[] responseDer, Instant now) {
        try {
            OCSPResp response = new OCSPResp(responseDer);
            if (response.getStatus() != OCSPResp.SUCCESSFUL
                    || !(response.getResponseObject() instanceof BasicOCSPResp basic)) {
                return Optional.empty();
            }
            Instant expires = null;
            for (SingleResp single : basic.getResponses()) {
                if (single.getNextUpdate() == null) {
                    return Optional.empty();
                }
                Instant next = single.getNextUpdate().toInstant();
                expires = expires == null || next.isBefore(expires) ? next : expires;
            }
            if (expires == null || !expires.isAfter(now)) {
                return Optional.empty();
            }
            return Optional.of(new OcspCaching(
                    "\""
                            + HexFormat.of()
                                    .formatHex(
                                            MessageDigest.getInstance("SHA-256").digest(responseDer)) + "\"",
                    basic.getProducedAt().toInstant(),
                    expires,
                    Duration.between(now, expires).toSeconds()));
        } catch (IOException | OCSPException e) {
            return Optional.empty();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
