package io.imprint.pki.audit;

import io.imprint.pki.csr.SignatureVerifier;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.X509Certificate;
import java.util.Date;

/** A checkpoint and the audit key's ECDSA P-256 / SHA-256 signature over its bytes (DER). */
// equals, hashCode and the accessor are overridden to compare and copy the octets, not the array.
@SuppressWarnings("ArrayRecordComponent")
public record SignedCheckpoint(Checkpoint checkpoint, byte[] signature) {
    public static final String ALGORITHM = "SHA256withECDSA";
    /** keyUsage bit 0. */
    private static final int DIGITAL_SIGNATURE = 0;

    public SignedCheckpoint {
        signature = signature.clone();
    }

    @Override
    public byte[] signature() {
        return signature.clone();
    }

    /**
     * Why the signature does not hold for the audit certificate, or null when it does: the certificate may
     * sign (digitalSignature), was valid when the checkpoint was made, and its key signed these very bytes.
     */
    public String problem(X509Certificate auditCertificate) {
        boolean[] usage = auditCertificate.getKeyUsage();
        if (usage == null || !usage[DIGITAL_SIGNATURE]) {
            return "the certificate "
                    + auditCertificate.getSubjectX500Principal().getName()
                    + " is not for signing (no digitalSignature key usage)";
        }
        try {
            auditCertificate.checkValidity(Date.from(checkpoint.time()));
        } catch (CertificateExpiredException | CertificateNotYetValidException e) {
            return "the checkpoint's time " + checkpoint.time() + " is outside the certificate's validity";
        }
        if (!SignatureVerifier.verify(ALGORITHM, auditCertificate.getPublicKey(), checkpoint.bytes(), signature)) {
            return "the signature does not verify with the audit certificate's key";
        }
        return null;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof SignedCheckpoint s
                && s.checkpoint.equals(checkpoint)
                && java.util.Arrays.equals(s.signature, signature);
    }

    @Override
    public int hashCode() {
        return checkpoint.hashCode() * 31 + java.util.Arrays.hashCode(signature);
    }
}
