package io.imprint.pki.ocsp;

import io.imprint.pki.keys.CaKey;
import java.io.IOException;
import java.math.BigInteger;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.function.Function;
import org.bouncycastle.asn1.ocsp.OCSPObjectIdentifiers;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.Extensions;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.ocsp.BasicOCSPResp;
import org.bouncycastle.cert.ocsp.BasicOCSPRespBuilder;
import org.bouncycastle.cert.ocsp.CertificateID;
import org.bouncycastle.cert.ocsp.OCSPException;
import org.bouncycastle.cert.ocsp.OCSPRespBuilder;
import org.bouncycastle.cert.ocsp.Req;
import org.bouncycastle.cert.ocsp.RespID;
import org.bouncycastle.cert.ocsp.RevokedStatus;
import org.bouncycastle.cert.ocsp.UnknownStatus;
import org.bouncycastle.operator.DigestCalculatorProvider;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;

/**
 * An RFC 6960 OCSP responder for one issuing CA, signing with a delegated responder key (its certificate
 * carries id-kp-OCSPSigning and is issued by that CA). A request for another issuer's certificate is
 * answered "unknown"; a request that does not parse, asks nothing or asks about more than
 * {@link #MAX_CERTIFICATES} certificates gets the malformedRequest status, unsigned, as 2.3 says. A request nonce is
 * echoed.
 */
public final class OcspResponder {
    /**
     * Most certificates one request may ask about. RFC 5019 clients ask about one; the bound keeps one request from
     * costing thousands of lookups and a response of megabytes.
     */
    public static final int MAX_CERTIFICATES = 20;

    /** Signed responses kept for reuse: about 500 bytes each. */
    static final int KEPT_RESPONSES = 20_000;

    private final CaKey responder;
    private final X509Certificate issuer;
    private final Duration validity;
    private final DigestCalculatorProvider digests;
    private final X509CertificateHolder[] responderChain;
    private final RespID responderId;
    private final SignedResponses signed;
    private final X509CertificateHolder issuerHolder;
    private final CertificateID presignedTemplate;

    /**
     * @param validity how long a response may be cached: nextUpdate = thisUpdate + validity
     */
    public OcspResponder(CaKey responder, X509Certificate issuer, Duration validity) {
        this.responder = responder;
        this.issuer = issuer;
        this.validity = validity;
        this.signed = new SignedResponses(validity, KEPT_RESPONSES);
        try {
            this.digests = new JcaDigestCalculatorProviderBuilder().build();
            this.responderChain = new X509CertificateHolder[] {
                new X509CertificateHolder(responder.certificate().getEncoded())
            };
            this.responderId = new RespID(responderChain[0].getSubject());
            this.issuerHolder = new X509CertificateHolder(issuer.getEncoded());
            this.presignedTemplate =
                    new CertificateID(digests.get(CertificateID.HASH_SHA1), issuerHolder, BigInteger.ZERO);
        } catch (OperatorCreationException | IOException | CertificateEncodingException | OCSPException e) {
            throw new IllegalStateException("cannot set up the OCSP responder: " + e.getMessage(), e);
        }
    }

    /** The issuing CA this responder answers for. */
    public X509Certificate issuer() {
        return issuer;
    }

    /**
     * Whether this responder is the one to answer the request: its first certificate is named by this
     * responder's issuing CA. A responder signs the whole response, so one request gets one responder.
     */
    public boolean answersFor(OcspRequest request) {
        try {
            return request.wellFormed() && issuedByOurCa(request.singles()[0].getCertID());
        } catch (OCSPException | RuntimeException e) {
            return false;
        }
    }

    /**
     * The answer to a request no responder here is for (RFC 6960 2.3): malformedRequest when it does not
     * parse, asks nothing or asks too much, unauthorized when it asks about a CA this server does not answer for.
     */
    public static byte[] refusal(OcspRequest request) {
        return request.wellFormed() ? status(OCSPRespBuilder.UNAUTHORIZED) : status(OCSPRespBuilder.MALFORMED_REQUEST);
    }

    /** {@link #respond(OcspRequest, Function, Instant)} for a DER request. */
    public byte[] respond(byte[] requestDer, Function<BigInteger, CertificateStatus> statusOf, Instant now) {
        return respond(OcspRequest.parse(requestDer), statusOf, now);
    }

    /**
     * The response signed for the same RFC 5019 request before, while the certificate's status is unchanged and
     * for half the response's validity ({@link SignedResponses}); null when there is none and {@link #respond}
     * must sign. Signs nothing, so it may run where a blocking HSM call may not.
     */
    public byte[] reusable(OcspRequest request, Function<BigInteger, CertificateStatus> statusOf, Instant now) {
        String key = request.reusableKey();
        if (key == null) {
            return null;
        }
        try {
            return signed.reusable(key, statusOf(request.singles()[0].getCertID(), statusOf), now);
        } catch (OCSPException | RuntimeException e) {
            return null;
        }
    }

    /**
     * The serial a pre-signed response ({@link #presign}) answers this request for: an RFC 5019 request (one
     * certificate, no nonce) whose CertID is exactly the one pre-signed responses carry (SHA-1, as RFC 5019 2.1.1
     * asks, for this CA); null for any other, which is answered by {@link #respond}.
     */
    public BigInteger presignedFor(OcspRequest request) {
        if (request.reusableKey() == null) {
            return null;
        }
        CertificateID asked = request.singles()[0].getCertID();
        CertificateID presigned = CertificateID.deriveCertificateID(presignedTemplate, asked.getSerialNumber());
        return presigned.toASN1Primitive().equals(asked.toASN1Primitive()) ? asked.getSerialNumber() : null;
    }

    /**
     * The response to the RFC 5019 request about {@code serial}, signed ahead of any request: thisUpdate is when
     * {@code status} was read (RFC 6960 4.2.2.1: when it was known to be correct). Throws when the token cannot sign.
     */
    public byte[] presign(BigInteger serial, CertificateStatus status, Instant thisUpdate) {
        try {
            return sign(
                    new CertificateID[] {CertificateID.deriveCertificateID(presignedTemplate, serial)},
                    List.of(status),
                    null,
                    thisUpdate);
        } catch (OCSPException | IOException e) {
            throw new IllegalStateException("cannot pre-sign the OCSP response: " + e.getMessage(), e);
        }
    }

    /**
     * Keeps a pre-signed response for {@link #reusable}, as if it had been signed for this request at its
     * {@code thisUpdate}.
     */
    public void keep(OcspRequest request, CertificateStatus status, Instant thisUpdate, byte[] der) {
        String key = request.reusableKey();
        if (key != null) {
            signed.keep(key, status, thisUpdate, der);
        }
    }

    /**
     * DER OCSPResponse for a request; never throws on bad input. A response to an RFC 5019 request is kept for
     * {@link #reusable}; any other is signed on demand, its nonce echoed.
     */
    public byte[] respond(OcspRequest request, Function<BigInteger, CertificateStatus> statusOf, Instant now) {
        if (!request.wellFormed()) {
            return status(OCSPRespBuilder.MALFORMED_REQUEST);
        }
        try {
            Req[] singles = request.singles();
            List<CertificateStatus> statuses = new ArrayList<>(singles.length);
            for (Req single : singles) {
                statuses.add(statusOf(single.getCertID(), statusOf));
            }
            String reusableKey = request.reusableKey();
            if (reusableKey != null) {
                byte[] kept = signed.reusable(reusableKey, statuses.get(0), now);
                if (kept != null) {
                    return kept;
                }
            }
            CertificateID[] ids = new CertificateID[singles.length];
            for (int i = 0; i < singles.length; i++) {
                ids[i] = singles[i].getCertID();
            }
            byte[] der =
                    sign(ids, statuses, request.request().getExtension(OCSPObjectIdentifiers.id_pkix_ocsp_nonce), now);
            if (reusableKey != null) {
                signed.keep(reusableKey, statuses.get(0), now, der);
            }
            return der;
        } catch (OCSPException | IOException | RuntimeException e) {
            return status(OCSPRespBuilder.INTERNAL_ERROR);
        }
    }

    /** A successful response about {@code ids}, valid from {@code now}, echoing {@code nonce} when not null. */
    private byte[] sign(CertificateID[] ids, List<CertificateStatus> statuses, Extension nonce, Instant now)
            throws OCSPException, IOException {
        BasicOCSPRespBuilder builder = new BasicOCSPRespBuilder(responderId);
        // RFC 5019 2.2.4: times in whole seconds.
        Instant at = now.truncatedTo(ChronoUnit.SECONDS);
        Date thisUpdate = Date.from(at);
        Date nextUpdate = Date.from(at.plus(validity));
        for (int i = 0; i < ids.length; i++) {
            builder.addResponse(ids[i], answer(statuses.get(i)), thisUpdate, nextUpdate, null);
        }
        if (nonce != null) {
            builder.setResponseExtensions(new Extensions(nonce));
        }
        BasicOCSPResp basic = builder.build(responder.contentSigner(), responderChain, thisUpdate);
        return new OCSPRespBuilder().build(OCSPRespBuilder.SUCCESSFUL, basic).getEncoded();
    }

    /** What the caller knows of the certificate; unknown for another CA's. */
    private CertificateStatus statusOf(CertificateID id, Function<BigInteger, CertificateStatus> statusOf)
            throws OCSPException {
        return issuedByOurCa(id) ? statusOf.apply(id.getSerialNumber()) : new CertificateStatus.Unknown();
    }

    private static org.bouncycastle.cert.ocsp.CertificateStatus answer(CertificateStatus status) {
        if (status instanceof CertificateStatus.Good) {
            return org.bouncycastle.cert.ocsp.CertificateStatus.GOOD;
        }
        if (status instanceof CertificateStatus.Revoked revoked) {
            return new RevokedStatus(
                    Date.from(revoked.entry().revokedAt().truncatedTo(ChronoUnit.SECONDS)),
                    revoked.entry().reasonCode());
        }
        return new UnknownStatus();
    }

    private boolean issuedByOurCa(CertificateID id) throws OCSPException {
        return id.matchesIssuer(issuerHolder, digests);
    }

    private static byte[] status(int status) {
        try {
            return new OCSPRespBuilder().build(status, null).getEncoded();
        } catch (OCSPException | IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
