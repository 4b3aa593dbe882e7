package io.imprint.pki.signing;

import io.imprint.contracts.Headers;
import io.imprint.pki.operator.OperatorIdentity;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Map;

/**
 * A person's operator identity: the key in their own identity file (never logged) and its certificate from the
 * operator CA. It signs requests made by a record instead of an HTTPS call ({@code revocation.requested}), so the
 * service that acts on one knows which operator asked, whoever carried the record.
 *
 * @param chain the operator's certificate first, then the operator CA's
 */
public record OperatorCredential(PrivateKey key, List<X509Certificate> chain) {
    public OperatorCredential {
        chain = List.copyOf(chain);
        if (chain.isEmpty()) {
            throw new IllegalArgumentException("an operator credential needs its certificate");
        }
    }

    public X509Certificate certificate() {
        return chain.get(0);
    }

    /** Which operator this is, or a sentence saying why the certificate is not an operator identity. */
    public OperatorIdentity identity() {
        return OperatorIdentity.of(certificate())
                .orElseThrow(() -> new IllegalArgumentException("the certificate's subject "
                        + certificate().getSubjectX500Principal().getName() + " is not an operator identity (OU="
                        + OperatorIdentity.ORGANIZATIONAL_UNIT + ", CN=name)"));
    }

    /** The two headers that authenticate {@code value}: the operator certificate and the signature over it. */
    public Map<String, String> sign(byte[] value) {
        return RecordSignatures.headers(key, certificate(), value, Headers.OPERATOR_CERT, Headers.OPERATOR_SIGNATURE);
    }

    @Override
    public String toString() {
        return "OperatorCredential[" + certificate().getSubjectX500Principal().getName() + "]";
    }
}
