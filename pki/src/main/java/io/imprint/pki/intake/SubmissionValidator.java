package io.imprint.pki.intake;

import io.imprint.contracts.ReasonCode;
import io.imprint.contracts.events.CsrSubmittedV1;
import io.imprint.pki.RequestRejectedException;
import io.imprint.pki.attestation.AttestationVerifier;
import io.imprint.pki.attestation.AttestedDevice;
import io.imprint.pki.attestation.KeyFingerprint;
import io.imprint.pki.attestation.tpm.TpmAttestation;
import io.imprint.pki.attestation.tpm.VerifiedTpm;
import io.imprint.pki.csr.CsrValidator;
import io.imprint.pki.csr.ValidatedCsr;
import io.imprint.pki.station.AuthenticatedStation;
import io.imprint.pki.station.StationCredentialVerifier;
import io.imprint.pki.station.StationIdentity;
import java.time.Duration;
import java.time.Instant;
import java.util.regex.Pattern;

/**
 * The checks that need no shared state, in order; the first failure decides:
 * <ol>
 * <li>the station credential: certificate from the station CA, valid now, signature over the exact value;</li>
 * <li>the station is not revoked ({@link StationCheck}, which needs the shared revocation list);</li>
 * <li>the submission names the factory and station its credential is bound to;</li>
 * <li>the device id is printable and at most {@value #MAX_DEVICE_ID} characters;</li>
 * <li>{@code submittedAt} is within the clock-skew window of now;</li>
 * <li>the CSR: strict DER, allowed algorithm and key, proof of possession, subject = device id, extensions;</li>
 * <li>if an attestation chain is present: it validates to the vendor root and attests the CSR's key;</li>
 * <li>if TPM evidence is present instead: the EK chain validates to the TPM vendor root and the TPM certified
 * the CSR's key ({@link TpmAttestation}); credential activation needs the stored challenge, so it is the
 * order decision's.</li>
 * </ol>
 */
public final class SubmissionValidator {
    public static final int MAX_DEVICE_ID = 128;
    private static final Pattern DEVICE_ID = Pattern.compile("[\\x21-\\x7e]{1," + MAX_DEVICE_ID + "}");

    private final StationCredentialVerifier stations;
    private final CsrValidator csrs;
    private final AttestationVerifier attestation;
    private final TpmAttestation tpmAttestation;
    private final Duration maxClockSkew;
    private final StationCheck notRevoked;

    /** Refuses an authenticated station whose certificate was revoked. */
    @FunctionalInterface
    public interface StationCheck {
        void check(AuthenticatedStation station) throws RequestRejectedException;
    }

    public SubmissionValidator(
            StationCredentialVerifier stations,
            StationCheck notRevoked,
            CsrValidator csrs,
            AttestationVerifier attestation,
            Duration maxClockSkew) {
        this.stations = stations;
        this.notRevoked = notRevoked;
        this.csrs = csrs;
        this.attestation = attestation;
        this.tpmAttestation = new TpmAttestation(attestation);
        this.maxClockSkew = maxClockSkew;
    }

    /**
     * Steps 1 and 2: who sent the record. Until these pass nothing in the record is trusted, not even the
     * factory to answer.
     */
    public AuthenticatedStation authenticate(
            String stationCertHeader, String signatureHeader, byte[] signedValue, Instant now)
            throws RequestRejectedException {
        AuthenticatedStation station = stations.verify(stationCertHeader, signatureHeader, signedValue, now);
        notRevoked.check(station);
        return station;
    }

    /** Steps 3 to 8, for a submission of an authenticated station. */
    public ValidatedSubmission validate(CsrSubmittedV1 submission, AuthenticatedStation station, Instant now)
            throws RequestRejectedException {
        StationIdentity identity = station.identity();
        if (!identity.factoryId().equals(submission.factoryId())
                || !identity.stationId().equals(submission.stationId())) {
            throw new RequestRejectedException(
                    ReasonCode.STATION_IDENTITY_MISMATCH,
                    "credential is bound to station "
                            + identity.stationId() + " of factory " + identity.factoryId()
                            + ", but the submission names station "
                            + submission.stationId() + " of factory " + submission.factoryId());
        }
        if (!DEVICE_ID.matcher(submission.deviceId()).matches()) {
            throw new RequestRejectedException(
                    ReasonCode.MALFORMED_SUBMISSION,
                    "deviceId must be 1 to " + MAX_DEVICE_ID + " printable ASCII characters without spaces");
        }
        Duration skew = Duration.between(submission.submittedAt(), now).abs();
        if (skew.compareTo(maxClockSkew) > 0) {
            throw new RequestRejectedException(
                    ReasonCode.SUBMISSION_TIME_SKEW,
                    "submittedAt "
                            + submission.submittedAt() + " is " + skew.toSeconds() + " s from intake time; at most "
                            + maxClockSkew.toSeconds() + " s is allowed");
        }
        ValidatedCsr csr = csrs.validate(submission.csr(), submission.deviceId());
        if (submission.tpm() != null && !submission.attestationChain().isEmpty()) {
            throw new RequestRejectedException(
                    ReasonCode.MALFORMED_SUBMISSION, "a submission carries attestationChain or tpm, not both");
        }
        AttestedDevice attested = submission.attestationChain().isEmpty()
                ? null
                : attestation.verify(
                        submission.secureElementType(), submission.attestationChain(), csr.publicKeyInfo(), now);
        VerifiedTpm tpm = submission.tpm() == null
                ? null
                : tpmAttestation.verify(submission.secureElementType(), submission.tpm(), csr.publicKeyInfo(), now);
        return new ValidatedSubmission(
                submission, station, csr, KeyFingerprint.sha256(csr.publicKeyInfo()), attested, tpm);
    }
}
