package io.imprint.pki.signing;

import io.imprint.pki.Providers;
import io.imprint.pki.csr.SignatureVerifier;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The signature stations and services put on the exact value bytes of a record they publish:
 * SHA256withECDSA, DER encoded. Anyone can make one with {@code openssl dgst -sha256 -sign}.
 */
public final class RecordSignatures {
    public static final String ALGORITHM = "SHA256withECDSA";

    private RecordSignatures() {}

    public static byte[] sign(PrivateKey key, byte[] value) {
        try {
            Signature signature = Signature.getInstance(ALGORITHM, Providers.BC);
            signature.initSign(key);
            signature.update(value);
            return signature.sign();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the key cannot sign records: " + e.getMessage(), e);
        }
    }

    /** False for any signature that does not verify, including malformed ones and keys of another type. */
    public static boolean verify(PublicKey key, byte[] signature, byte[] value) {
        return SignatureVerifier.verify(ALGORITHM, key, value, signature);
    }

    /**
     * The two headers that authenticate {@code value}: the signer's certificate and its signature over the value,
     * each base64 DER, under the header names of the signer's kind (station or service).
     */
    public static Map<String, String> headers(
            PrivateKey key,
            X509Certificate certificate,
            byte[] value,
            String certificateHeader,
            String signatureHeader) {
        Map<String, String> headers = new LinkedHashMap<>();
        try {
            headers.put(certificateHeader, Base64.getEncoder().encodeToString(certificate.getEncoded()));
        } catch (CertificateEncodingException e) {
            throw new IllegalStateException("the signer's certificate cannot be encoded", e);
        }
        headers.put(signatureHeader, Base64.getEncoder().encodeToString(sign(key, value)));
        return headers;
    }
}
