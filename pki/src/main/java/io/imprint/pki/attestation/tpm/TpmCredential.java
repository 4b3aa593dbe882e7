package io.imprint.pki.attestation.tpm;

import io.imprint.pki.Providers;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.spec.MGF1ParameterSpec;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.OAEPParameterSpec;
import javax.crypto.spec.PSource;
import javax.crypto.spec.SecretKeySpec;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.jce.provider.BouncyCastleProvider;

/**
 * TPM2_MakeCredential done outside the TPM (TPM 2.0 Library part 1, 24): a secret only the TPM that holds the
 * endorsement key (EK) can recover, and only into the attestation key (AK) of the given name. A device that
 * returns the secret proves its AK lives in the TPM whose EK certificate it presented, which is what binds a
 * certification by that AK to a genuine TPM. For an RSA EK of the TCG's default template (RSA 2048, AES-128
 * CFB, SHA-256): the seed is OAEP-encrypted to the EK with label "IDENTITY", the secret AES-CFB-encrypted
 * under KDFa(seed, "STORAGE", AK name) and bound by an HMAC under KDFa(seed, "INTEGRITY").
 *
 * @param credentialBlob  TPM2B_ID_OBJECT
 * @param encryptedSecret TPM2B_ENCRYPTED_SECRET
 */
// TPM octets carried from parser to verifier; never compared, hashed or kept in collections as values.
@SuppressWarnings("ArrayRecordComponent")
public record TpmCredential(byte[] credentialBlob, byte[] encryptedSecret) {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final int MAGIC = 0xBADCC0DE;

    /**
     * Seals the secret to the EK, bound to the AK name (TPM2_MakeCredential).
     *
     * @param ek the endorsement key, RSA, as its certificate carries it
     */
    public static TpmCredential make(SubjectPublicKeyInfo ek, byte[] akName, byte[] secret) {
        if (secret.length == 0 || secret.length > 32) {
            throw new IllegalArgumentException("a credential secret is 1 to 32 octets");
        }
        try {
            byte[] seed = new byte[32];
            RANDOM.nextBytes(seed);
            PublicKey ekKey = BouncyCastleProvider.getPublicKey(ek);
            Cipher oaep = Cipher.getInstance("RSA/NONE/OAEPWithSHA256AndMGF1Padding", Providers.BC);
            oaep.init(
                    Cipher.ENCRYPT_MODE,
                    ekKey,
                    new OAEPParameterSpec(
                            "SHA-256",
                            "MGF1",
                            MGF1ParameterSpec.SHA256,
                            new PSource.PSpecified("IDENTITY\0".getBytes(StandardCharsets.US_ASCII))));
            byte[] encryptedSeed = oaep.doFinal(seed);

            byte[] symmetricKey = kdfa(seed, "STORAGE", akName, 128);
            Cipher cfb = Cipher.getInstance("AES/CFB/NoPadding", Providers.BC);
            cfb.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(symmetricKey, "AES"), new IvParameterSpec(new byte[16]));
            byte[] encryptedIdentity = cfb.doFinal(sized(secret));

            Mac hmac = Mac.getInstance("HmacSHA256");
            hmac.init(new SecretKeySpec(kdfa(seed, "INTEGRITY", new byte[0], 256), "HmacSHA256"));
            hmac.update(encryptedIdentity);
            hmac.update(akName);
            ByteArrayOutputStream idObject = new ByteArrayOutputStream();
            idObject.writeBytes(sized(hmac.doFinal()));
            idObject.writeBytes(encryptedIdentity);
            return new TpmCredential(sized(idObject.toByteArray()), sized(encryptedSeed));
        } catch (GeneralSecurityException | java.io.IOException e) {
            throw new IllegalStateException("cannot make a TPM credential", e);
        }
    }

    /** The credential as tpm2-tools' tpm2_activatecredential reads it from a file. */
    public byte[] toTpm2ToolsFile() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        writeInt(out, MAGIC);
        writeInt(out, 1);
        out.writeBytes(credentialBlob);
        out.writeBytes(encryptedSecret);
        return out.toByteArray();
    }

    /** KDFa with SHA-256 (TPM 2.0 Library part 1, 11.4.10.2), the label taken with its terminating zero. */
    static byte[] kdfa(byte[] key, String label, byte[] contextU, int bits) throws GeneralSecurityException {
        Mac hmac = Mac.getInstance("HmacSHA256");
        hmac.init(new SecretKeySpec(key, "HmacSHA256"));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int counter = 1; out.size() * 8 < bits; counter++) {
            ByteArrayOutputStream input = new ByteArrayOutputStream();
            writeInt(input, counter);
            input.writeBytes(label.getBytes(StandardCharsets.US_ASCII));
            input.write(0);
            input.writeBytes(contextU);
            writeInt(input, bits);
            out.writeBytes(hmac.doFinal(input.toByteArray()));
        }
        return java.util.Arrays.copyOf(out.toByteArray(), bits / 8);
    }

    private static byte[] sized(byte[] value) {
        byte[] out = new byte[value.length + 2];
        out[0] = (byte) (value.length >> 8);
        out[1] = (byte) value.length;
        System.arraycopy(value, 0, out, 2, value.length);
        return out;
    }

    private static void writeInt(ByteArrayOutputStream out, int value) {
        out.write(value >>> 24);
        out.write(value >>> 16);
        out.write(value >>> 8);
        out.write(value);
    }
}
