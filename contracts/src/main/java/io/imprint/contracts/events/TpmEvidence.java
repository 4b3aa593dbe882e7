package io.imprint.contracts.events;

import java.util.List;

/**
 * What a station sends for a device whose key lives in a TPM 2.0: the TPM's endorsement key (EK) certificate
 * chain, an attestation key (AK) and the AK's TPM2_Certify statement that the CSR's key is a non-exportable
 * key of that TPM. Intake binds the AK to the EK by credential activation: the first submission, without
 * {@code challengeId}, is answered with a {@link CsrChallengedV1} only that TPM can open; the station
 * resubmits (new requestId) with the recovered secret. All binary fields are base64.
 *
 * @param ekCertificateChain the EK certificate (DER) first, then the TPM vendor's intermediates
 * @param akPublic           the AK's TPM2B_PUBLIC, as tpm2_createak writes it
 * @param keyPublic          the device key's TPM2B_PUBLIC
 * @param certifyInfo        the TPMS_ATTEST that TPM2_Certify returned for the device key, signed by the AK
 * @param certifySignature   the AK's signature over it (DER ECDSA or RSASSA-PKCS1-v1_5, SHA-256)
 * @param challengeId        the requestId of the submission that was challenged; null in the first submission
 * @param activatedSecret    the secret TPM2_ActivateCredential recovered from that challenge; null in the first
 */
public record TpmEvidence(
        List<String> ekCertificateChain,
        String akPublic,
        String keyPublic,
        String certifyInfo,
        String certifySignature,
        String challengeId,
        String activatedSecret) {
    public TpmEvidence {
        ekCertificateChain = Require.list(ekCertificateChain, "tpm.ekCertificateChain");
        Require.text(akPublic, "tpm.akPublic");
        Require.text(keyPublic, "tpm.keyPublic");
        Require.text(certifyInfo, "tpm.certifyInfo");
        Require.text(certifySignature, "tpm.certifySignature");
        if ((challengeId == null) != (activatedSecret == null)) {
            throw new IllegalArgumentException("fields 'tpm.challengeId' and 'tpm.activatedSecret' go together");
        }
    }

    /** Whether this is the answer to a challenge, rather than the submission that asks for one. */
    public boolean answersChallenge() {
        return challengeId != null;
    }

    /** The same evidence, answering challenge {@code challengeId} with the recovered secret. */
    public TpmEvidence answering(String challengeId, String activatedSecret) {
        return new TpmEvidence(
                ekCertificateChain, akPublic, keyPublic, certifyInfo, certifySignature, challengeId, activatedSecret);
    }
}
