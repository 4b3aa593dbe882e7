package io.imprint.pki.ocsp;

import java.io.IOException;
import java.math.BigInteger;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import org.bouncycastle.cert.ocsp.OCSPReq;
import org.bouncycastle.cert.ocsp.Req;

/**
 * An OCSP request parsed once, for every step of answering it: which responder, which serials to look up, whether
 * a response signed before may be reused, the response itself. Well-formed means it parses and asks about 1 to
 * {@link OcspResponder#MAX_CERTIFICATES} certificates.
 */
public final class OcspRequest {
    private static final OcspRequest MALFORMED = new OcspRequest(null, new Req[0]);

    private final OCSPReq request;
    private final Req[] singles;
    private final List<BigInteger> serials;

    private OcspRequest(OCSPReq request, Req[] singles) {
        this.request = request;
        this.singles = singles;
        this.serials =
                Arrays.stream(singles).map(r -> r.getCertID().getSerialNumber()).toList();
    }

    /** Never throws: a request that does not parse is a malformed one. */
    public static OcspRequest parse(byte[] der) {
        try {
            OCSPReq request = new OCSPReq(der);
            Req[] singles = request.getRequestList();
            return singles.length == 0 || singles.length > OcspResponder.MAX_CERTIFICATES
                    ? MALFORMED
                    : new OcspRequest(request, singles);
        } catch (IOException | RuntimeException e) {
            return MALFORMED;
        }
    }

    public boolean wellFormed() {
        return request != null;
    }

    /** The serials asked about, in request order; empty when malformed. */
    public List<BigInteger> serials() {
        return serials;
    }

    OCSPReq request() {
        return request;
    }

    Req[] singles() {
        return singles.clone();
    }

    /**
     * The key a response to it may be kept and reused under (RFC 5019: one certificate, no extensions, hence no
     * nonce: the same request always gets the same answer); null when it must be signed on demand.
     */
    String reusableKey() {
        if (request == null || singles.length != 1 || request.hasExtensions()) {
            return null;
        }
        try {
            return Base64.getEncoder()
                    .encodeToString(singles[0].getCertID().toASN1Primitive().getEncoded());
        } catch (IOException e) {
            return null;
        }
    }
}
