package io.imprint.pki.intake;

import io.imprint.contracts.ReasonCode;
import io.imprint.contracts.events.CsrSubmittedV1;
import io.imprint.pki.RequestRejectedException;
import io.imprint.pki.csr.CsrValidator;
import io.imprint.pki.csr.ValidatedCsr;
import io.imprint.pki.station.StationCredentialVerifier;
import io.imprint.pki.station.StationIdentity;
import java.time.Instant;

/**
 * Decides whether a submission may go to the signer. The checks, in order; the first failure decides:
 * <ol>
 * <li>the station credential: certificate from the station CA, valid now, signature over the exact value;</li>
 * <li>the submission names the factory and station its credential is bound to;</li>
 * <li>the CSR: strict DER, allowed algorithm and key, proof of possession, subject = device id.</li>
 * </ol>
 */
public final class SubmissionValidator {
    private final StationCredentialVerifier stations;
    private final CsrValidator csrs;

    public SubmissionValidator(StationCredentialVerifier stations, CsrValidator csrs) {
        this.stations = stations;
        this.csrs = csrs;
    }

    public ValidatedCsr validate(CsrSubmittedV1 submission, String stationCertHeader, String signatureHeader,
            byte[] signedValue, Instant now) throws RequestRejectedException {
        StationIdentity station = stations.verify(stationCertHeader, signatureHeader, signedValue, now);
        if (!station.factoryId().equals(submission.factoryId()) || !station.stationId().equals(submission.stationId())) {
            throw new RequestRejectedException(ReasonCode.STATION_IDENTITY_MISMATCH, "credential is bound to station "
                    + station.stationId() + " of factory " + station.factoryId() + ", but the submission names station "
                    + submission.stationId() + " of factory " + submission.factoryId());
        }
        return csrs.validate(submission.csr(), submission.deviceId());
    }
}
