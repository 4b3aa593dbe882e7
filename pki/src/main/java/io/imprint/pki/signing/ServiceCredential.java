package io.imprint.pki.signing;

import io.imprint.contracts.Headers;
import io.imprint.pki.service.ServiceIdentity;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Map;

/**
 * A service's identity: its key (a software key in a file only the service can read; never logged) and
 * its certificate from the service CA. The same credential authenticates the service to the broker (mutual
 * TLS) and signs the commands it sends, so the signer can tell csr-intake's requests from anyone else's.
 *
 * @param chain the service's certificate first, then the service CA's
 */
public record ServiceCredential(PrivateKey key, List<X509Certificate> chain) {
    public ServiceCredential {
        chain = List.copyOf(chain);
        if (chain.isEmpty()) {
            throw new IllegalArgumentException("a service credential needs its certificate");
        }
    }

    public X509Certificate certificate() {
        return chain.get(0);
    }

    /** Which service this is, or a sentence saying why the certificate is not a service identity. */
    public ServiceIdentity identity() {
        return ServiceIdentity.of(certificate())
                .orElseThrow(() -> new IllegalArgumentException("the certificate's subject "
                        + certificate().getSubjectX500Principal().getName() + " is not a service identity (OU="
                        + ServiceIdentity.ORGANIZATIONAL_UNIT + ", CN=name)"));
    }

    /** The two headers that authenticate {@code value}: the service certificate and the signature over it. */
    public Map<String, String> sign(byte[] value) {
        return RecordSignatures.headers(key, certificate(), value, Headers.SERVICE_CERT, Headers.SERVICE_SIGNATURE);
    }

    @Override
    public String toString() {
        return "ServiceCredential[" + certificate().getSubjectX500Principal().getName() + "]";
    }
}
