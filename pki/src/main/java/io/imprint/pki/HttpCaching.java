package io.imprint.pki;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CRLException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509CRL;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Optional;
import org.bouncycastle.cert.ocsp.BasicOCSPResp;
import org.bouncycastle.cert.ocsp.OCSPException;
import org.bouncycastle.cert.ocsp.OCSPResp;
import org.bouncycastle.cert.ocsp.SingleResp;

/**
 * HTTP caching of revocation data: a cache may keep an OCSP response fetched with GET until the earliest
 * nextUpdate of its answers (RFC 5019 section 6.2), and a CRL until its nextUpdate. Refusals and answers without
 * nextUpdate are not cacheable.
 *
 * @param etag strong entity tag: the SHA-256 of the bytes, quoted
 * @param lastModified the response's producedAt, the CRL's thisUpdate
 * @param expires the earliest nextUpdate
 * @param maxAge seconds from {@code now} until {@code expires}
 */
public record HttpCaching(String etag, Instant lastModified, Instant expires, long maxAge) {
    /** The caching headers' values for an OCSP response as of {@code now}, or empty when it is not cacheable. */
    public static Optional<HttpCaching> forOcspResponse(byte[] responseDer, Instant now) {
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
            return of(responseDer, basic.getProducedAt().toInstant(), expires, now);
        } catch (IOException | OCSPException e) {
            return Optional.empty();
        }
    }

    /** The caching headers' values for a CRL as of {@code now}, or empty when it is not cacheable. */
    public static Optional<HttpCaching> forCrl(byte[] crlDer, Instant now) {
        try {
            X509CRL crl =
                    (X509CRL) CertificateFactory.getInstance("X.509").generateCRL(new ByteArrayInputStream(crlDer));
            return crl.getNextUpdate() == null
                    ? Optional.empty()
                    : of(
                            crlDer,
                            crl.getThisUpdate().toInstant(),
                            crl.getNextUpdate().toInstant(),
                            now);
        } catch (CertificateException | CRLException e) {
            return Optional.empty();
        }
    }

    /**
     * The caching headers' values for a CRL whose thisUpdate and nextUpdate the caller already knows (stored
     * beside it), without parsing it; empty when it is not cacheable.
     */
    public static Optional<HttpCaching> forCrl(byte[] crlDer, Instant thisUpdate, Instant nextUpdate, Instant now) {
        return of(crlDer, thisUpdate, nextUpdate, now);
    }

    private static Optional<HttpCaching> of(byte[] der, Instant lastModified, Instant expires, Instant now) {
        if (expires == null || !expires.isAfter(now)) {
            return Optional.empty();
        }
        try {
            String etag = "\""
                    + HexFormat.of()
                            .formatHex(MessageDigest.getInstance("SHA-256").digest(der)) + "\"";
            return Optional.of(new HttpCaching(
                    etag, lastModified, expires, Duration.between(now, expires).toSeconds()));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
