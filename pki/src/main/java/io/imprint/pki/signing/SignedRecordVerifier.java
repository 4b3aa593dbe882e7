package io.imprint.pki.signing;

import io.imprint.pki.Pem;
import io.imprint.pki.csr.SignatureVerifier;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Checks a record signed by the holder of an end-entity certificate of one CA (stations: the station CA;
 * services: the service CA): the certificate header is a certificate issued by that CA, not a CA itself, and
 * valid now, and the signature header verifies over the exact value bytes with its key. Checks run in that
 * order and the first failure decides. A certificate that chained once is remembered by its exact encoding,
 * so a busy sender costs one signature verification per record, not two; validity is checked every time.
 */
public final class SignedRecordVerifier {
    private static final int TRUSTED_CACHE_LIMIT = 10_000;

    /** What is wrong with a signed record, in the order the checks run. */
    public enum Failure {
        MISSING,
        UNTRUSTED,
        NOT_YET_VALID,
        EXPIRED,
        SIGNATURE_INVALID
    }

    /** The record fails a check; the message says which, without echoing the headers. */
    public static final class Refusal extends Exception {
        private final Failure failure;

        Refusal(Failure failure, String message) {
            super(message, null, false, false);
            this.failure = failure;
        }

        public Failure failure() {
            return failure;
        }
    }

    private final X509Certificate ca;
    private final String role;
    private final Map<String, X509Certificate> trusted = new ConcurrentHashMap<>();

    /** @param role what the signer is, for messages: "station" or "service" */
    public SignedRecordVerifier(X509Certificate ca, String role) {
        this.ca = ca;
        this.role = role;
    }

    /** The signer's certificate, once every check has passed. */
    public X509Certificate verify(
            String certificateBase64,
            String signatureBase64,
            byte[] value,
            Instant now,
            String certificateHeader,
            String signatureHeader)
            throws Refusal {
        if (certificateBase64 == null || signatureBase64 == null) {
            throw new Refusal(
                    Failure.MISSING, "record has no " + certificateHeader + " or " + signatureHeader + " header");
        }
        X509Certificate signer = trusted.get(certificateBase64);
        if (signer == null) {
            signer = decodeCertificate(certificateBase64, certificateHeader);
            checkIssuedByCa(signer);
            if (trusted.size() >= TRUSTED_CACHE_LIMIT) {
                trusted.clear();
            }
            trusted.put(certificateBase64, signer);
        }
        checkValidAt(signer, now);
        byte[] signature = decode(signatureBase64, Failure.SIGNATURE_INVALID, signatureHeader);
        if (!RecordSignatures.verify(signer.getPublicKey(), signature, value)) {
            throw new Refusal(
                    Failure.SIGNATURE_INVALID,
                    signatureHeader + " does not verify over the record value" + " with the " + role + " key");
        }
        return signer;
    }

    private X509Certificate decodeCertificate(String base64, String header) throws Refusal {
        try {
            return Pem.certificate(decode(base64, Failure.UNTRUSTED, header));
        } catch (IllegalArgumentException e) {
            throw new Refusal(Failure.UNTRUSTED, header + " is not a DER X.509 certificate");
        }
    }

    private void checkIssuedByCa(X509Certificate signer) throws Refusal {
        try {
            if (!signer.getIssuerX500Principal().equals(ca.getSubjectX500Principal())
                    || signer.getBasicConstraints() != -1) {
                throw new GeneralSecurityException("issuer or basic constraints");
            }
            if (!SignatureVerifier.verifyCertificate(signer, ca.getPublicKey())) {
                throw new GeneralSecurityException("signature");
            }
        } catch (GeneralSecurityException | RuntimeException e) {
            throw new Refusal(Failure.UNTRUSTED, role + " certificate is not issued by the " + role + " CA");
        }
    }

    private void checkValidAt(X509Certificate signer, Instant now) throws Refusal {
        if (now.isBefore(signer.getNotBefore().toInstant())) {
            throw new Refusal(
                    Failure.NOT_YET_VALID,
                    role + " certificate is valid only from "
                            + signer.getNotBefore().toInstant());
        }
        if (now.isAfter(signer.getNotAfter().toInstant())) {
            throw new Refusal(
                    Failure.EXPIRED,
                    role + " certificate expired at " + signer.getNotAfter().toInstant());
        }
    }

    private static byte[] decode(String base64, Failure failure, String header) throws Refusal {
        try {
            return Base64.getDecoder().decode(base64.strip());
        } catch (IllegalArgumentException e) {
            throw new Refusal(failure, header + " is not valid base64");
        }
    }
}
