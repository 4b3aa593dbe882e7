package io.imprint.pki.intake;

import io.imprint.contracts.events.CsrSubmittedV1;
import io.imprint.pki.attestation.AttestedDevice;
import io.imprint.pki.attestation.tpm.VerifiedTpm;
import io.imprint.pki.csr.ValidatedCsr;
import io.imprint.pki.station.AuthenticatedStation;

/**
 * A submission that passed every stateless check.
 *
 * @param keyFingerprint SHA-256 of the device key's SubjectPublicKeyInfo, as vendor manifests list it
 * @param attestation    the secure-element attestation that verified for the device key, or null if none was given
 * @param tpm            the TPM evidence that verified for the device key, or null if none was given; its attestation
 *                       key is bound to the TPM only once the submission answers a challenge (checked with the order)
 */
public record ValidatedSubmission(
        CsrSubmittedV1 submission,
        AuthenticatedStation station,
        ValidatedCsr csr,
        String keyFingerprint,
        AttestedDevice attestation,
        VerifiedTpm tpm) {
    public ValidatedSubmission(
            CsrSubmittedV1 submission,
            AuthenticatedStation station,
            ValidatedCsr csr,
            String keyFingerprint,
            AttestedDevice attestation) {
        this(submission, station, csr, keyFingerprint, attestation, null);
    }

    /** Whether a secure-element attestation chain, or TPM evidence, verified for the device key. */
    public boolean attested() {
        return attestation != null || tpm != null;
    }
}
