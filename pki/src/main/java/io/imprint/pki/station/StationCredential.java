package io.imprint.pki.station;

import io.imprint.contracts.Headers;
import io.imprint.pki.signing.RecordSignatures;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Map;

/**
 * What a factory station holds: its key and its short-lived certificate from the station CA. It signs the
 * exact bytes it publishes, so intake can tell a genuine submission from a forged or altered one, and it
 * authenticates the station to the broker (mutual TLS) as {@code station:<factory>/<station>}.
 *
 * @param chain the station certificate first, then the station CA's (presented in the TLS handshake)
 */
public record StationCredential(PrivateKey key, List<X509Certificate> chain) {
    public StationCredential {
        chain = List.copyOf(chain);
        if (chain.isEmpty()) {
            throw new IllegalArgumentException("a station credential needs its certificate");
        }
    }

    public StationCredential(PrivateKey key, X509Certificate certificate) {
        this(key, List.of(certificate));
    }

    public X509Certificate certificate() {
        return chain.get(0);
    }

    /** The two headers that authenticate {@code value}: the station certificate and the signature over it. */
    public Map<String, String> sign(byte[] value) {
        return RecordSignatures.headers(key, certificate(), value, Headers.STATION_CERT, Headers.STATION_SIGNATURE);
    }

    @Override
    public String toString() {
        return "StationCredential[" + certificate().getSubjectX500Principal().getName() + "]";
    }
}
