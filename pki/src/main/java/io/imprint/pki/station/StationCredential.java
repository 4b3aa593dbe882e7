package io.imprint.pki.station;

import io.imprint.contracts.Headers;
import io.imprint.pki.Providers;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a factory station holds: its key and its short-lived certificate from the station CA. It signs the
 * exact bytes it publishes, so intake can tell a genuine submission from a forged or altered one.
 */
public record StationCredential(PrivateKey key, X509Certificate certificate) {

    /** The two headers that authenticate {@code value}: the station certificate and the signature over it. */
    public Map<String, String> sign(byte[] value) {
        try {
            Signature signature = Signature.getInstance("SHA256withECDSA", Providers.BC);
            signature.initSign(key);
            signature.update(value);
            Map<String, String> headers = new LinkedHashMap<>();
            headers.put(Headers.STATION_CERT, Base64.getEncoder().encodeToString(certificate.getEncoded()));
            headers.put(Headers.STATION_SIGNATURE, Base64.getEncoder().encodeToString(signature.sign()));
            return headers;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the station key cannot sign: " + e.getMessage(), e);
        }
    }

    @Override
    public String toString() {
        return "StationCredential[" + certificate.getSubjectX500Principal().getName() + "]";
    }
}
