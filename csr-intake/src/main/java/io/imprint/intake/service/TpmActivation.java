package io.imprint.intake.service;

import io.imprint.contracts.ReasonCode;
import io.imprint.contracts.events.CsrChallengedV1;
import io.imprint.contracts.events.CsrSubmittedV1;
import io.imprint.contracts.events.TpmEvidence;
import io.imprint.intake.config.IntakeConfig;
import io.imprint.intake.persistence.IntakeStore;
import io.imprint.intake.persistence.TpmChallengeEntity;
import io.imprint.pki.RequestRejectedException;
import io.imprint.pki.attestation.tpm.TpmChallenge;
import io.imprint.pki.attestation.tpm.VerifiedTpm;
import io.imprint.pki.intake.ValidatedSubmission;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;

/**
 * Binds a TPM submission's attestation key to the TPM whose EK certificate it presented, in the order
 * decision's transaction: a first submission gets a challenge (stored, its secret hashed), which only that
 * TPM can open into that AK; the answer must come from the same station, for the same device, TPM, AK and
 * key, before the challenge expires, and only once. A failed answer is {@code ATTESTATION_INVALID}, rule
 * {@code tpm-activation}.
 */
@ApplicationScoped
public class TpmActivation {
    private final IntakeStore store;
    private final Duration ttl;

    public TpmActivation(IntakeStore store, IntakeConfig config) {
        this.store = store;
        this.ttl = config.tpm().challengeTtl();
    }

    /** Stores a new challenge for the submission and returns the event that carries it to the station. */
    public Uni<CsrChallengedV1> challenge(ValidatedSubmission valid, Instant now) {
        CsrSubmittedV1 submission = valid.submission();
        VerifiedTpm tpm = valid.tpm();
        TpmChallenge challenge = TpmChallenge.issue(tpm);
        TpmChallengeEntity row = new TpmChallengeEntity();
        row.challengeId = submission.requestId();
        row.factoryId = submission.factoryId();
        row.stationId = submission.stationId();
        row.deviceId = submission.deviceId();
        row.ekSha256 = tpm.ekFingerprint();
        row.akName = tpm.akNameHex();
        row.keySha256 = valid.keyFingerprint();
        row.secretSha256 = challenge.secretDigest();
        row.issuedAt = now;
        row.expiresAt = now.plus(ttl);
        Base64.Encoder base64 = Base64.getEncoder();
        return store.persist(row)
                .map(saved -> new CsrChallengedV1(
                        submission.requestId(),
                        submission.deviceId(),
                        submission.factoryId(),
                        submission.stationId(),
                        submission.orderId(),
                        base64.encodeToString(challenge.credential().credentialBlob()),
                        base64.encodeToString(challenge.credential().encryptedSecret()),
                        row.expiresAt,
                        now));
    }

    /** Fails with the reason unless the submission answers its challenge; marks the challenge answered. */
    public Uni<Void> checkAnswer(ValidatedSubmission valid, Instant now) {
        CsrSubmittedV1 submission = valid.submission();
        TpmEvidence evidence = submission.tpm();
        return store.find(TpmChallengeEntity.class, evidence.challengeId()).chain(row -> {
            if (row == null) {
                return refused("no challenge " + evidence.challengeId() + " was issued; submit without "
                        + "tpm.challengeId first");
            }
            if (!row.factoryId.equals(submission.factoryId())
                    || !row.stationId.equals(submission.stationId())
                    || !row.deviceId.equals(submission.deviceId())) {
                return refused("challenge " + row.challengeId + " was issued to another station or device");
            }
            if (!row.ekSha256.equals(valid.tpm().ekFingerprint())
                    || !row.akName.equals(valid.tpm().akNameHex())
                    || !row.keySha256.equals(valid.keyFingerprint())) {
                return refused("challenge " + row.challengeId + " was issued for another TPM, attestation key or "
                        + "device key");
            }
            if (!now.isBefore(row.expiresAt)) {
                return refused("challenge " + row.challengeId + " expired at " + row.expiresAt);
            }
            if (row.answeredBy != null) {
                return refused("challenge " + row.challengeId + " was already answered by request " + row.answeredBy);
            }
            if (!TpmChallenge.answers(row.secretSha256, evidence.activatedSecret())) {
                return refused("the activated secret is not the one challenge " + row.challengeId + " sealed to the "
                        + "TPM; only the TPM holding the EK, with that attestation key loaded, recovers it");
            }
            return store.answerChallenge(row.challengeId, submission.requestId())
                    .chain(answered -> answered
                            ? Uni.createFrom().voidItem()
                            : refused("challenge " + row.challengeId + " was already answered by another request"));
        });
    }

    private static Uni<Void> refused(String message) {
        return Uni.createFrom()
                .failure(new RequestRejectedException(
                        ReasonCode.ATTESTATION_INVALID, "attestation rule tpm-activation: " + message));
    }
}
