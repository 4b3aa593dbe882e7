package io.imprint.pki.attestation.tpm;

import io.imprint.pki.attestation.KeyFingerprint;
import java.security.cert.X509Certificate;
import java.util.HexFormat;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;

/**
 * TPM evidence that verified, short of credential activation: the EK certificate chains to a TPM vendor root,
 * and the AK certified the CSR's key as non-exportable. Which TPM holds the AK is proved only when the
 * station answers a {@link TpmChallenge} made for {@link #ek()} and {@link #akName()}.
 *
 * @param ekCertificate the endorsement key certificate
 * @param root          the TPM vendor root it chains to
 * @param akName        the attestation key's TPM name
 * @param key           the certified device key, which is the CSR's
 */
// TPM octets carried from parser to verifier; never compared, hashed or kept in collections as values.
@SuppressWarnings("ArrayRecordComponent")
public record VerifiedTpm(
        X509Certificate ekCertificate, X509Certificate root, byte[] akName, SubjectPublicKeyInfo key) {
    /** The endorsement key, to make a credential for. */
    public SubjectPublicKeyInfo ek() {
        return SubjectPublicKeyInfo.getInstance(ekCertificate.getPublicKey().getEncoded());
    }

    /** SHA-256 of the EK's SubjectPublicKeyInfo, hex: names the TPM. */
    public String ekFingerprint() {
        return KeyFingerprint.sha256(ekCertificate.getPublicKey().getEncoded());
    }

    public String akNameHex() {
        return HexFormat.of().formatHex(akName);
    }
}
