package io.imprint.contracts.events;

import java.time.Instant;

/**
 * csr-intake's answer to a TPM submission that has not yet proved its attestation key lives in the TPM whose
 * endorsement key certificate it presented: a credential (TPM2_MakeCredential's output) that only that TPM
 * can open, and only into that attestation key. Published on the submitting factory's station-results topic
 * only; it decides nothing. The station runs TPM2_ActivateCredential and submits again, with a new requestId,
 * {@code tpm.challengeId} = this requestId and the recovered secret, before {@code expiresAt}. A challenge
 * is answered once.
 *
 * @param credentialBlob  TPM2B_ID_OBJECT, base64
 * @param encryptedSecret TPM2B_ENCRYPTED_SECRET, base64
 */
public record CsrChallengedV1(
        String requestId,
        String deviceId,
        String factoryId,
        String stationId,
        String orderId,
        String credentialBlob,
        String encryptedSecret,
        Instant expiresAt,
        Instant challengedAt)
        implements ImprintEvent {
    public CsrChallengedV1 {
        Require.text(requestId, "requestId");
        Require.text(deviceId, "deviceId");
        Require.text(credentialBlob, "credentialBlob");
        Require.text(encryptedSecret, "encryptedSecret");
        Require.present(expiresAt, "expiresAt");
        Require.present(challengedAt, "challengedAt");
    }
}
