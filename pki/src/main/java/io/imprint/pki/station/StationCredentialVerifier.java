package io.imprint.pki.station;

import io.imprint.contracts.ReasonCode;
import io.imprint.pki.Pem;
import io.imprint.pki.Providers;
import io.imprint.pki.RequestRejectedException;
import io.imprint.pki.Serials;
import java.security.GeneralSecurityException;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.bouncycastle.asn1.x500.X500Name;

/**
 * Authenticates a signed submission: the station certificate chains to the station CA and is valid now,
 * and the station's signature verifies over the exact record value bytes. Checks run in that order and the
 * first failure decides the reason code. A certificate that chained once is remembered (by its exact
 * encoding), so a busy station costs one signature verification per request, not two; validity is still
 * checked every time.
 */
public final class StationCredentialVerifier {
    private static final int TRUSTED_CACHE_LIMIT = 10_000;

    private final X509Certificate stationCa;
    private final Map<String, X509Certificate> trusted = new ConcurrentHashMap<>();

    public StationCredentialVerifier(X509Certificate stationCa) {
        this.stationCa = stationCa;
    }

    /**
     * @param certificateBase64 the {@code imprint-station-cert} header, or null
     * @param signatureBase64   the {@code imprint-station-signature} header, or null
     */
    public AuthenticatedStation verify(String certificateBase64, String signatureBase64, byte[] value, Instant now)
            throws RequestRejectedException {
        if (certificateBase64 == null || signatureBase64 == null) {
            throw new RequestRejectedException(ReasonCode.STATION_CREDENTIAL_MISSING,
                    "record has no imprint-station-cert or imprint-station-signature header");
        }
        X509Certificate station = trusted.get(certificateBase64);
        if (station == null) {
            station = decodeCertificate(certificateBase64);
            checkIssuedByStationCa(station);
            if (trusted.size() >= TRUSTED_CACHE_LIMIT) {
                trusted.clear();
            }
            trusted.put(certificateBase64, station);
        }
        checkValidAt(station, now);
        checkSignature(station, decode(signatureBase64, ReasonCode.STATION_SIGNATURE_INVALID), value);
        return new AuthenticatedStation(
                StationIdentity.of(X500Name.getInstance(station.getSubjectX500Principal().getEncoded())),
                Serials.hex(station.getSerialNumber()));
    }

    private static X509Certificate decodeCertificate(String base64) throws RequestRejectedException {
        try {
            return Pem.certificate(decode(base64, ReasonCode.STATION_CERTIFICATE_UNTRUSTED));
        } catch (IllegalArgumentException e) {
            throw new RequestRejectedException(ReasonCode.STATION_CERTIFICATE_UNTRUSTED,
                    "imprint-station-cert is not a DER X.509 certificate");
        }
    }

    private void checkIssuedByStationCa(X509Certificate station) throws RequestRejectedException {
        try {
            if (!station.getIssuerX500Principal().equals(stationCa.getSubjectX500Principal())
                    || station.getBasicConstraints() != -1) {
                throw new GeneralSecurityException("issuer or basic constraints");
            }
            station.verify(stationCa.getPublicKey(), Providers.BC);
        } catch (GeneralSecurityException | RuntimeException e) {
            throw new RequestRejectedException(ReasonCode.STATION_CERTIFICATE_UNTRUSTED,
                    "station certificate is not issued by the station CA");
        }
    }

    private static void checkValidAt(X509Certificate station, Instant now) throws RequestRejectedException {
        if (now.isBefore(station.getNotBefore().toInstant())) {
            throw new RequestRejectedException(ReasonCode.STATION_CERTIFICATE_NOT_YET_VALID,
                    "station certificate is valid only from " + station.getNotBefore().toInstant());
        }
        if (now.isAfter(station.getNotAfter().toInstant())) {
            throw new RequestRejectedException(ReasonCode.STATION_CERTIFICATE_EXPIRED,
                    "station certificate expired at " + station.getNotAfter().toInstant());
        }
    }

    private static void checkSignature(X509Certificate station, byte[] signatureDer, byte[] value)
            throws RequestRejectedException {
        boolean valid;
        try {
            Signature verifier = Signature.getInstance("SHA256withECDSA", Providers.BC);
            verifier.initVerify(station.getPublicKey());
            verifier.update(value);
            valid = verifier.verify(signatureDer);
        } catch (GeneralSecurityException | RuntimeException e) {
            valid = false;
        }
        if (!valid) {
            throw new RequestRejectedException(ReasonCode.STATION_SIGNATURE_INVALID,
                    "imprint-station-signature does not verify over the record value with the station key");
        }
    }

    private static byte[] decode(String base64, ReasonCode reason) throws RequestRejectedException {
        try {
            return Base64.getDecoder().decode(base64.strip());
        } catch (IllegalArgumentException e) {
            throw new RequestRejectedException(reason, "a station credential header is not valid base64");
        }
    }
}
