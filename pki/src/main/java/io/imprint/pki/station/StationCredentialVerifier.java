package io.imprint.pki.station;

import io.imprint.contracts.Headers;
import io.imprint.contracts.ReasonCode;
import io.imprint.pki.RequestRejectedException;
import io.imprint.pki.Serials;
import io.imprint.pki.signing.SignedRecordVerifier;
import java.security.cert.X509Certificate;
import java.time.Instant;

/**
 * Authenticates a signed submission: the station certificate chains to the station CA and is valid now,
 * and the station's signature verifies over the exact record value bytes. Checks run in that order and the
 * first failure decides the reason code.
 */
public final class StationCredentialVerifier {
    private final SignedRecordVerifier records;

    public StationCredentialVerifier(X509Certificate stationCa) {
        this.records = new SignedRecordVerifier(stationCa, "station");
    }

    /**
     * Authenticates a station's signed submission from its headers.
     *
     * @param certificateBase64 the {@code imprint-station-cert} header, or null
     * @param signatureBase64   the {@code imprint-station-signature} header, or null
     */
    public AuthenticatedStation verify(String certificateBase64, String signatureBase64, byte[] value, Instant now)
            throws RequestRejectedException {
        X509Certificate station;
        try {
            station = records.verify(
                    certificateBase64, signatureBase64, value, now, Headers.STATION_CERT, Headers.STATION_SIGNATURE);
        } catch (SignedRecordVerifier.Refusal e) {
            throw new RequestRejectedException(
                    switch (e.failure()) {
                        case MISSING -> ReasonCode.STATION_CREDENTIAL_MISSING;
                        case UNTRUSTED -> ReasonCode.STATION_CERTIFICATE_UNTRUSTED;
                        case NOT_YET_VALID -> ReasonCode.STATION_CERTIFICATE_NOT_YET_VALID;
                        case EXPIRED -> ReasonCode.STATION_CERTIFICATE_EXPIRED;
                        case SIGNATURE_INVALID -> ReasonCode.STATION_SIGNATURE_INVALID;
                    },
                    e.getMessage());
        }
        return new AuthenticatedStation(StationIdentity.of(station), Serials.hex(station.getSerialNumber()));
    }
}
