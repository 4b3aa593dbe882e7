package io.imprint.pki.attestation.tpm;

import io.imprint.contracts.ReasonCode;
import io.imprint.contracts.events.TpmEvidence;
import io.imprint.pki.RequestRejectedException;
import io.imprint.pki.attestation.AttestationProfile;
import io.imprint.pki.attestation.AttestationVerifier;
import io.imprint.pki.attestation.AttestedDevice;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;

/**
 * A TPM 2.0 submission's evidence, short of credential activation, as step-ca's {@code device-attest-01}
 * checks a TPM: the endorsement key (EK) certificate chain meets the type's {@link AttestationProfile} (format
 * {@code tpm}) and validates to a configured TPM vendor root; then rule {@code tpm-ek-certificate}: the
 * certificate is for an EK (TCG purpose 2.23.133.8.1 when it lists purposes) and the key is RSA, the one EK
 * kind credentials are made for here; then {@link TpmKeyCertification}'s rules, and the certified key must
 * be the CSR's ({@code ATTESTATION_KEY_MISMATCH} otherwise).
 */
public final class TpmAttestation {
    /** TCG EK Credential Profile: tcg-kp-EKCertificate. */
    static final String EK_CERTIFICATE_PURPOSE = "2.23.133.8.1";
    /** A TPM2B_PUBLIC of an RSA 4096 key is under 700 octets; TPMS_ATTEST and signatures are smaller. */
    public static final int MAX_STRUCTURE_BYTES = 2048;

    private final AttestationVerifier ekChains;

    /** @param ekChains the verifier holding the TPM vendor roots, under types whose format is {@code tpm} */
    public TpmAttestation(AttestationVerifier ekChains) {
        this.ekChains = ekChains;
    }

    public VerifiedTpm verify(String type, TpmEvidence evidence, SubjectPublicKeyInfo csrKey, Instant now)
            throws RequestRejectedException {
        if (ekChains.format(type) != AttestationProfile.Format.TPM) {
            throw TpmKeyCertification.broken(
                    "tpm-ek-certificate",
                    "secure-element type '" + type
                            + "' is not configured for TPM attestation (imprint.intake.attestation.<TYPE>.format=tpm)");
        }
        AttestedDevice ek = ekChains.verifyChain(type, evidence.ekCertificateChain(), now);
        checkEndorsementKey(ek.certificate());
        TpmPublic ak = structure(evidence.akPublic(), "akPublic");
        TpmPublic key = structure(evidence.keyPublic(), "keyPublic");
        SubjectPublicKeyInfo certified = TpmKeyCertification.verify(
                ak,
                bytes(evidence.certifyInfo(), "certifyInfo"),
                bytes(evidence.certifySignature(), "certifySignature"),
                key);
        if (!certified.equals(csrKey)) {
            throw new RequestRejectedException(
                    ReasonCode.ATTESTATION_KEY_MISMATCH, "the CSR's public key is not the key the TPM certified");
        }
        return new VerifiedTpm(ek.certificate(), ek.root(), ak.name(), certified);
    }

    private static void checkEndorsementKey(X509Certificate ek) throws RequestRejectedException {
        List<String> purposes;
        try {
            purposes = ek.getExtendedKeyUsage();
        } catch (CertificateParsingException e) {
            throw TpmKeyCertification.broken(
                    "tpm-ek-certificate", "the EK certificate's extendedKeyUsage is malformed");
        }
        if (purposes != null && !purposes.contains(EK_CERTIFICATE_PURPOSE)) {
            throw TpmKeyCertification.broken(
                    "tpm-ek-certificate",
                    "the certificate lists purposes " + purposes + " but not the TCG EK certificate's ("
                            + EK_CERTIFICATE_PURPOSE + ")");
        }
        SubjectPublicKeyInfo key =
                SubjectPublicKeyInfo.getInstance(ek.getPublicKey().getEncoded());
        if (!key.getAlgorithm().getAlgorithm().equals(PKCSObjectIdentifiers.rsaEncryption)) {
            throw TpmKeyCertification.broken(
                    "tpm-ek-certificate",
                    "the EK is not RSA; present the TPM's RSA 2048 " + "EK certificate (NV index 0x1c00002)");
        }
    }

    private static TpmPublic structure(String base64, String field) throws RequestRejectedException {
        try {
            return TpmPublic.parse(bytes(base64, field));
        } catch (IllegalArgumentException e) {
            throw TpmKeyCertification.broken(
                    "tpm-attest", "tpm." + field + " is not a TPM2B_PUBLIC: " + e.getMessage());
        }
    }

    private static byte[] bytes(String base64, String field) throws RequestRejectedException {
        if (base64.length() > MAX_STRUCTURE_BYTES * 4 / 3 + 4) {
            throw TpmKeyCertification.broken(
                    "tpm-attest", "tpm." + field + " is larger than " + MAX_STRUCTURE_BYTES + " bytes");
        }
        try {
            return Base64.getDecoder().decode(base64);
        } catch (IllegalArgumentException e) {
            throw TpmKeyCertification.broken("tpm-attest", "tpm." + field + " is not base64");
        }
    }
}
