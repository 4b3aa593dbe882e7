package io.imprint.pki.attestation.tpm;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;

/**
 * Credential activation for a {@link VerifiedTpm}: a fresh 32-octet secret sealed to the TPM's EK and bound to
 * its AK's name. Only the secret's SHA-256 is kept; a station that presents the secret proves the AK lives in
 * the TPM whose EK certificate it showed.
 *
 * @param credential what the station's TPM activates
 * @param secret     the secret; never stored, logged or published in clear
 */
// TPM octets carried from parser to verifier; never compared, hashed or kept in collections as values.
@SuppressWarnings("ArrayRecordComponent")
public record TpmChallenge(TpmCredential credential, byte[] secret) {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final int SECRET_BYTES = 32;

    public static TpmChallenge issue(VerifiedTpm tpm) {
        byte[] secret = new byte[SECRET_BYTES];
        RANDOM.nextBytes(secret);
        return new TpmChallenge(TpmCredential.make(tpm.ek(), tpm.akName(), secret), secret);
    }

    /** What is stored: SHA-256 of the secret, hex. */
    public String secretDigest() {
        return HexFormat.of().formatHex(sha256(secret));
    }

    /** Whether {@code presentedBase64} is the secret whose digest was stored, compared in constant time. */
    public static boolean answers(String storedDigest, String presentedBase64) {
        byte[] presented;
        try {
            presented = Base64.getDecoder().decode(presentedBase64);
        } catch (IllegalArgumentException e) {
            return false;
        }
        if (presented.length != SECRET_BYTES) {
            return false;
        }
        return MessageDigest.isEqual(HexFormat.of().parseHex(storedDigest), sha256(presented));
    }

    private static byte[] sha256(byte[] value) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(value);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public String toString() {
        return "TpmChallenge[secret withheld]";
    }
}
