package io.imprint.pki.ocsp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.imprint.pki.HttpCaching;
import io.imprint.pki.Providers;
import io.imprint.pki.TestPki;
import io.imprint.pki.crl.RevokedEntry;
import java.math.BigInteger;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Map;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.ocsp.OCSPObjectIdentifiers;
import org.bouncycastle.asn1.x509.CRLReason;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.Extensions;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.ocsp.BasicOCSPResp;
import org.bouncycastle.cert.ocsp.CertificateID;
import org.bouncycastle.cert.ocsp.OCSPReq;
import org.bouncycastle.cert.ocsp.OCSPReqBuilder;
import org.bouncycastle.cert.ocsp.OCSPResp;
import org.bouncycastle.cert.ocsp.OCSPRespBuilder;
import org.bouncycastle.cert.ocsp.RevokedStatus;
import org.bouncycastle.cert.ocsp.SingleResp;
import org.bouncycastle.cert.ocsp.UnknownStatus;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;
import org.junit.jupiter.api.Test;

class OcspResponderTest {
    private static final TestPki PKI = new TestPki();
    private static final BigInteger GOOD = BigInteger.valueOf(1001);
    private static final BigInteger REVOKED = BigInteger.valueOf(1002);
    private static final Map<BigInteger, CertificateStatus> STATUS = Map.of(
            GOOD, new CertificateStatus.Good(),
            REVOKED,
                    new CertificateStatus.Revoked(
                            new RevokedEntry(REVOKED, TestPki.NOW.minusSeconds(10), CRLReason.keyCompromise)));

    private final OcspResponder responder =
            new OcspResponder(PKI.ocspResponder, PKI.issuing.certificate(), Duration.ofMinutes(5));

    @Test
    void answersGoodRevokedAndUnknownSignedByTheDelegatedResponder() throws Exception {
        assertEquals(null, single(GOOD, PKI.issuing.certificate()).getCertStatus());
        SingleResp revoked = single(REVOKED, PKI.issuing.certificate());
        RevokedStatus status = assertInstanceOf(RevokedStatus.class, revoked.getCertStatus());
        assertEquals(CRLReason.keyCompromise, status.getRevocationReason());
        assertEquals(TestPki.NOW.minusSeconds(10), status.getRevocationTime().toInstant());
        assertInstanceOf(
                UnknownStatus.class,
                single(BigInteger.valueOf(7), PKI.issuing.certificate()).getCertStatus());
        SingleResp good = single(GOOD, PKI.issuing.certificate());
        assertEquals(
                TestPki.NOW.plus(Duration.ofMinutes(5)), good.getNextUpdate().toInstant());
    }

    @Test
    void answersUnknownForAnotherIssuersCertificate() throws Exception {
        assertInstanceOf(
                UnknownStatus.class, single(GOOD, PKI.stationCa.certificate()).getCertStatus());
    }

    @Test
    void echoesTheNonce() throws Exception {
        byte[] nonce = {1, 2, 3, 4, 5, 6, 7, 8};
        OCSPReqBuilder builder = new OCSPReqBuilder().addRequest(id(GOOD, PKI.issuing.certificate()));
        builder.setRequestExtensions(new Extensions(
                new Extension(OCSPObjectIdentifiers.id_pkix_ocsp_nonce, false, new DEROctetString(nonce))));
        BasicOCSPResp basic =
                basic(responder.respond(builder.build().getEncoded(), OcspResponderTest::lookup, TestPki.NOW));
        assertArrayEquals(
                nonce,
                basic.getExtension(OCSPObjectIdentifiers.id_pkix_ocsp_nonce)
                        .getExtnValue()
                        .getOctets());
    }

    /**
     * RFC 5019: the same request (one certificate, no nonce) gets the response signed for it before (ECDSA
     * signatures differ each time, so equal bytes mean reused), until half its validity has passed or the
     * certificate's status changes; a request with a nonce is signed each time.
     */
    @Test
    void reusesASignedResponseUntilTheStatusChangesOrHalfItsValidityPassesNeverForANonce() throws Exception {
        byte[] request = request(GOOD, PKI.issuing.certificate());
        Map<BigInteger, CertificateStatus> status = new java.util.HashMap<>(Map.of(GOOD, new CertificateStatus.Good()));
        java.util.function.Function<BigInteger, CertificateStatus> current =
                serial -> status.getOrDefault(serial, new CertificateStatus.Unknown());
        OcspRequest parsed = OcspRequest.parse(request);
        assertNull(responder.reusable(parsed, current, TestPki.NOW), "nothing signed yet");
        byte[] first = responder.respond(request, current, TestPki.NOW);
        assertArrayEquals(first, responder.reusable(parsed, current, TestPki.NOW.plusSeconds(60)), "reusable");
        assertArrayEquals(first, responder.respond(request, current, TestPki.NOW.plusSeconds(60)), "reused");
        byte[] renewed = responder.respond(request, current, TestPki.NOW.plus(Duration.ofSeconds(150)));
        assertFalse(java.util.Arrays.equals(first, renewed), "signed again once half its 5 minutes passed");
        assertEquals(
                TestPki.NOW.plus(Duration.ofSeconds(150)),
                basic(renewed).getResponses()[0].getThisUpdate().toInstant());

        status.put(
                GOOD,
                new CertificateStatus.Revoked(
                        new RevokedEntry(GOOD, TestPki.NOW.plusSeconds(151), CRLReason.keyCompromise)));
        assertNull(responder.reusable(parsed, current, TestPki.NOW.plusSeconds(152)), "not once the status changed");
        byte[] revoked = responder.respond(request, current, TestPki.NOW.plusSeconds(152));
        assertInstanceOf(RevokedStatus.class, basic(revoked).getResponses()[0].getCertStatus(), "revoked at once");

        OCSPReqBuilder withNonce = new OCSPReqBuilder().addRequest(id(GOOD, PKI.issuing.certificate()));
        withNonce.setRequestExtensions(new Extensions(new Extension(
                OCSPObjectIdentifiers.id_pkix_ocsp_nonce, false, new DEROctetString(new byte[] {9, 9, 9, 9}))));
        byte[] nonced = withNonce.build().getEncoded();
        responder.respond(nonced, current, TestPki.NOW.plusSeconds(153));
        assertNull(responder.reusable(OcspRequest.parse(nonced), current, TestPki.NOW.plusSeconds(153)));
        assertFalse(java.util.Arrays.equals(
                responder.respond(nonced, current, TestPki.NOW.plusSeconds(153)),
                responder.respond(nonced, current, TestPki.NOW.plusSeconds(153))));
    }

    /**
     * A pre-signed response answers exactly the RFC 5019 request (SHA-1 CertID of this CA, one certificate, no
     * nonce) as the responder would have: same CertID, status and validity from the time the status was read.
     */
    @Test
    void presignsTheResponseToTheRfc5019RequestAndServesItOnlyForThatRequest() throws Exception {
        byte[] request = request(REVOKED, PKI.issuing.certificate());
        OcspRequest parsed = OcspRequest.parse(request);
        assertEquals(REVOKED, responder.presignedFor(parsed));
        byte[] presigned = responder.presign(REVOKED, lookup(REVOKED), TestPki.NOW);
        SingleResp single = basic(presigned).getResponses()[0];
        assertEquals(new OCSPReq(request).getRequestList()[0].getCertID(), single.getCertID());
        assertInstanceOf(RevokedStatus.class, single.getCertStatus());
        assertEquals(TestPki.NOW, single.getThisUpdate().toInstant());
        assertEquals(
                TestPki.NOW.plus(Duration.ofMinutes(5)), single.getNextUpdate().toInstant());

        responder.keep(parsed, lookup(REVOKED), TestPki.NOW, presigned);
        assertArrayEquals(presigned, responder.reusable(parsed, OcspResponderTest::lookup, TestPki.NOW.plusSeconds(1)));

        CertificateID sha256 = new CertificateID(
                new JcaDigestCalculatorProviderBuilder()
                        .build()
                        .get(new org.bouncycastle.asn1.x509.AlgorithmIdentifier(
                                org.bouncycastle.asn1.nist.NISTObjectIdentifiers.id_sha256)),
                new X509CertificateHolder(PKI.issuing.certificate().getEncoded()),
                REVOKED);
        assertNull(responder.presignedFor(OcspRequest.parse(
                new OCSPReqBuilder().addRequest(sha256).build().getEncoded())));
        assertNull(responder.presignedFor(OcspRequest.parse(request(REVOKED, PKI.stationCa.certificate()))));
        OCSPReqBuilder withNonce = new OCSPReqBuilder().addRequest(id(REVOKED, PKI.issuing.certificate()));
        withNonce.setRequestExtensions(new Extensions(new Extension(
                OCSPObjectIdentifiers.id_pkix_ocsp_nonce, false, new DEROctetString(new byte[] {9, 9, 9, 9}))));
        assertNull(responder.presignedFor(OcspRequest.parse(withNonce.build().getEncoded())));
        assertNull(responder.presignedFor(OcspRequest.parse(new OCSPReqBuilder()
                .addRequest(id(GOOD, PKI.issuing.certificate()))
                .addRequest(id(REVOKED, PKI.issuing.certificate()))
                .build()
                .getEncoded())));
    }

    @Test
    void malformedRequestGetsMalformedStatusNotAnException() throws Exception {
        OCSPResp resp =
                new OCSPResp(responder.respond(new byte[] {0x30, 0x01, 0x00}, OcspResponderTest::lookup, TestPki.NOW));
        assertEquals(OCSPRespBuilder.MALFORMED_REQUEST, resp.getStatus());
    }

    @Test
    void saysWhichRequestsItAnswersForByTheFirstCertificatesIssuer() throws Exception {
        assertTrue(responder.answersFor(OcspRequest.parse(request(GOOD, PKI.issuing.certificate()))));
        assertFalse(responder.answersFor(OcspRequest.parse(request(GOOD, PKI.stationCa.certificate()))));
        assertFalse(responder.answersFor(OcspRequest.parse(new byte[] {0x30, 0x01, 0x00})));
    }

    @Test
    void refusesRequestsForAnotherCaAsUnauthorizedAndGarbageAsMalformed() throws Exception {
        assertEquals(
                OCSPRespBuilder.UNAUTHORIZED,
                new OCSPResp(OcspResponder.refusal(OcspRequest.parse(request(GOOD, PKI.stationCa.certificate()))))
                        .getStatus());
        assertEquals(
                OCSPRespBuilder.MALFORMED_REQUEST,
                new OCSPResp(OcspResponder.refusal(OcspRequest.parse(new byte[] {0x30, 0x01, 0x00}))).getStatus());
    }

    @Test
    void answersUpToTheBoundOfCertificatesPerRequestAndRefusesMoreAsMalformed() throws Exception {
        OCSPReqBuilder most = new OCSPReqBuilder();
        for (int i = 0; i < OcspResponder.MAX_CERTIFICATES; i++) {
            most.addRequest(id(GOOD.add(BigInteger.valueOf(i)), PKI.issuing.certificate()));
        }
        byte[] bounded = most.build().getEncoded();
        assertTrue(responder.answersFor(OcspRequest.parse(bounded)));
        assertEquals(
                OcspResponder.MAX_CERTIFICATES,
                OcspRequest.parse(bounded).serials().size());
        assertEquals(
                OcspResponder.MAX_CERTIFICATES,
                basic(responder.respond(bounded, OcspResponderTest::lookup, TestPki.NOW))
                        .getResponses()
                        .length);

        byte[] tooMany =
                most.addRequest(id(REVOKED, PKI.issuing.certificate())).build().getEncoded();
        assertFalse(responder.answersFor(OcspRequest.parse(tooMany)));
        assertTrue(OcspRequest.parse(tooMany).serials().isEmpty());
        assertEquals(
                OCSPRespBuilder.MALFORMED_REQUEST,
                new OCSPResp(OcspResponder.refusal(OcspRequest.parse(tooMany))).getStatus());
        assertEquals(
                OCSPRespBuilder.MALFORMED_REQUEST,
                new OCSPResp(responder.respond(tooMany, OcspResponderTest::lookup, TestPki.NOW)).getStatus());
    }

    @Test
    void aResponseIsCacheableUntilItsEarliestNextUpdateAndARefusalIsNot() throws Exception {
        byte[] request = new OCSPReqBuilder()
                .addRequest(id(GOOD, PKI.issuing.certificate()))
                .addRequest(id(REVOKED, PKI.issuing.certificate()))
                .build()
                .getEncoded();
        byte[] response = responder.respond(request, OcspResponderTest::lookup, TestPki.NOW);
        HttpCaching caching = HttpCaching.forOcspResponse(response, TestPki.NOW.plusSeconds(60))
                .orElseThrow();
        assertEquals(TestPki.NOW.plus(Duration.ofMinutes(5)), caching.expires());
        assertEquals(240, caching.maxAge());
        assertEquals(basic(response).getProducedAt().toInstant(), caching.lastModified());
        assertTrue(caching.etag().matches("\"[0-9a-f]{64}\""), caching.etag());
        assertEquals(
                caching.etag(),
                HttpCaching.forOcspResponse(response, TestPki.NOW).orElseThrow().etag());
        assertTrue(
                HttpCaching.forOcspResponse(response, TestPki.NOW.plus(Duration.ofMinutes(5)))
                        .isEmpty(),
                "expired");
        assertTrue(HttpCaching.forOcspResponse(
                        OcspResponder.refusal(OcspRequest.parse(new byte[] {0x30, 0x01, 0x00})), TestPki.NOW)
                .isEmpty());
        assertTrue(
                HttpCaching.forOcspResponse(new byte[] {1, 2, 3}, TestPki.NOW).isEmpty());
    }

    private static byte[] request(BigInteger serial, X509Certificate issuer) throws Exception {
        return new OCSPReqBuilder().addRequest(id(serial, issuer)).build().getEncoded();
    }

    private SingleResp single(BigInteger serial, X509Certificate issuer) throws Exception {
        byte[] request =
                new OCSPReqBuilder().addRequest(id(serial, issuer)).build().getEncoded();
        SingleResp[] responses = basic(responder.respond(request, OcspResponderTest::lookup, TestPki.NOW))
                .getResponses();
        assertEquals(1, responses.length);
        return responses[0];
    }

    private BasicOCSPResp basic(byte[] der) throws Exception {
        OCSPResp resp = new OCSPResp(der);
        assertEquals(OCSPRespBuilder.SUCCESSFUL, resp.getStatus());
        BasicOCSPResp basic = (BasicOCSPResp) resp.getResponseObject();
        assertTrue(basic.isSignatureValid(new JcaContentVerifierProviderBuilder()
                .setProvider(Providers.BC)
                .build(PKI.ocspResponder.certificate().getPublicKey())));
        assertEquals(new X509CertificateHolder(PKI.ocspResponder.certificate().getEncoded()), basic.getCerts()[0]);
        return basic;
    }

    private static CertificateID id(BigInteger serial, X509Certificate issuer) throws Exception {
        return new CertificateID(
                new JcaDigestCalculatorProviderBuilder().build().get(CertificateID.HASH_SHA1),
                new X509CertificateHolder(issuer.getEncoded()),
                serial);
    }

    private static CertificateStatus lookup(BigInteger serial) {
        return STATUS.getOrDefault(serial, new CertificateStatus.Unknown());
    }
}
