package io.imprint.pki.attestation.tpm;

import io.imprint.contracts.ReasonCode;
import io.imprint.pki.RequestRejectedException;
import io.imprint.pki.csr.SignatureVerifier;
import java.security.PublicKey;
import java.util.Arrays;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.jce.provider.BouncyCastleProvider;

/**
 * A TPM's statement, made with TPM2_Certify and signed by an attestation key (AK), that a key lives in that
 * TPM and can never leave it, as step-ca's {@code device-attest-01} checks it. Each refusal is
 * {@code ATTESTATION_INVALID} naming its rule:
 * <ul>
 * <li>{@code tpm-ak}: the AK is a restricted signing key made in the TPM (fixedTPM, fixedParent,
 * sensitiveDataOrigin), so the TPM signs only what it generated itself with it;</li>
 * <li>{@code tpm-attest}: the attestation is a TPMS_ATTEST of type certify (TPM_GENERATED magic, which the TPM
 * never signs for data from outside), signed by that AK, naming the certified key by its name;</li>
 * <li>{@code tpm-key-attributes}: the certified key was generated in the TPM (sensitiveDataOrigin), cannot be
 * duplicated (fixedTPM, fixedParent) and signs, not decrypts.</li>
 * </ul>
 * Whether the AK belongs to a genuine TPM is not this class's question: the AK is bound to the TPM's
 * endorsement key by credential activation ({@link TpmCredential}).
 */
public final class TpmKeyCertification {
    static final long TPM_GENERATED = 0xff544347L;
    static final int ST_ATTEST_CERTIFY = 0x8017;
    private static final long AK_ATTRIBUTES = TpmPublic.FIXED_TPM
            | TpmPublic.FIXED_PARENT
            | TpmPublic.SENSITIVE_DATA_ORIGIN
            | TpmPublic.RESTRICTED
            | TpmPublic.SIGN;
    private static final long KEY_ATTRIBUTES =
            TpmPublic.FIXED_TPM | TpmPublic.FIXED_PARENT | TpmPublic.SENSITIVE_DATA_ORIGIN | TpmPublic.SIGN;

    private TpmKeyCertification() {}

    /**
     * Verifies that the AK certified the key as a non-exportable TPM key, returning that key.
     *
     * @param attest    the TPMS_ATTEST octets TPM2_Certify produced
     * @param signature the AK's signature over them (DER ECDSA, or RSASSA-PKCS1-v1_5), SHA-256
     * @return the certified key
     */
    public static SubjectPublicKeyInfo verify(TpmPublic ak, byte[] attest, byte[] signature, TpmPublic key)
            throws RequestRejectedException {
        if (!ak.has(AK_ATTRIBUTES) || ak.has(TpmPublic.DECRYPT)) {
            throw broken("tpm-ak", "the attestation key is not a restricted signing key generated in the TPM");
        }
        if (!verifies(ak.key(), attest, signature)) {
            throw broken("tpm-attest", "the certification's signature does not verify with the attestation key");
        }
        byte[] certifiedName;
        try {
            TpmReader in = new TpmReader(attest);
            if (in.u32() != TPM_GENERATED || in.u16() != ST_ATTEST_CERTIFY) {
                throw broken("tpm-attest", "not a TPM-generated certification (TPMS_ATTEST of type certify)");
            }
            in.sized(); // qualifiedSigner: the AK's qualified name, which depends on its parents; its signature
            // binds it
            in.sized(); // extraData
            in.u64(); // clock
            in.u32(); // resetCount
            in.u32(); // restartCount
            in.u8(); // safe
            in.u64(); // firmwareVersion
            certifiedName = in.sized();
            in.sized(); // qualifiedName
            in.requireEnd("certification");
        } catch (IllegalArgumentException e) {
            throw broken("tpm-attest", e.getMessage());
        }
        if (!Arrays.equals(certifiedName, key.name())) {
            throw broken("tpm-attest", "the certification is of another key than the one presented");
        }
        if (!key.has(KEY_ATTRIBUTES) || key.has(TpmPublic.DECRYPT) || key.has(TpmPublic.RESTRICTED)) {
            throw broken(
                    "tpm-key-attributes",
                    "the key must be generated in the TPM, non-duplicable (fixedTPM, "
                            + "fixedParent, sensitiveDataOrigin) and an unrestricted signing key");
        }
        return key.key();
    }

    private static boolean verifies(SubjectPublicKeyInfo key, byte[] signed, byte[] signature) {
        try {
            PublicKey publicKey = BouncyCastleProvider.getPublicKey(key);
            boolean ec = key.getAlgorithm().getAlgorithm().equals(X9ObjectIdentifiers.id_ecPublicKey);
            return SignatureVerifier.verify(ec ? "SHA256withECDSA" : "SHA256withRSA", publicKey, signed, signature);
        } catch (java.io.IOException | RuntimeException e) {
            return false;
        }
    }

    static RequestRejectedException broken(String rule, String message) {
        return new RequestRejectedException(
                ReasonCode.ATTESTATION_INVALID, "attestation rule " + rule + ": " + message);
    }
}
