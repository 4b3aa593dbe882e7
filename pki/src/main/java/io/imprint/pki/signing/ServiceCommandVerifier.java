package io.imprint.pki.signing;

import io.imprint.contracts.Headers;
import io.imprint.contracts.QuarantineReason;
import io.imprint.pki.UntrustedEventException;
import io.imprint.pki.service.ServiceIdentity;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;

/**
 * Authenticates a command record before anything acts on it: signed by a valid certificate of the service
 * CA whose service is one of those allowed to send it (the signer takes {@code csr.accepted} only from
 * csr-intake and {@code crl.sign-requested} only from revocation). Broker ACLs already keep other writers
 * off those topics; this check holds even where ACLs are misconfigured or a mirror replays records from
 * elsewhere.
 */
public final class ServiceCommandVerifier {
    private final SignedRecordVerifier records;

    public ServiceCommandVerifier(X509Certificate serviceCa) {
        this.records = new SignedRecordVerifier(serviceCa, "service");
    }

    /**
     * Authenticates a service's signed command from its headers.
     *
     * @param certificateBase64 the {@code imprint-service-cert} header, or null
     * @param signatureBase64   the {@code imprint-service-signature} header, or null
     * @param allowed           the services that may send this command
     * @return the service that signed it
     */
    public ServiceIdentity verify(
            String certificateBase64, String signatureBase64, byte[] value, Instant now, Set<String> allowed) {
        X509Certificate signer;
        try {
            signer = records.verify(
                    certificateBase64, signatureBase64, value, now, Headers.SERVICE_CERT, Headers.SERVICE_SIGNATURE);
        } catch (SignedRecordVerifier.Refusal e) {
            throw new UntrustedEventException(
                    switch (e.failure()) {
                        case MISSING -> QuarantineReason.COMMAND_UNSIGNED;
                        case SIGNATURE_INVALID -> QuarantineReason.COMMAND_SIGNATURE_INVALID;
                        case UNTRUSTED, NOT_YET_VALID, EXPIRED -> QuarantineReason.COMMAND_SIGNER_UNTRUSTED;
                    },
                    e.getMessage());
        }
        Optional<ServiceIdentity> service = ServiceIdentity.of(signer);
        if (service.isEmpty() || !allowed.contains(service.get().name())) {
            throw new UntrustedEventException(
                    QuarantineReason.COMMAND_SIGNER_NOT_AUTHORIZED,
                    "signed by " + signer.getSubjectX500Principal().getName() + ", but only " + allowed
                            + " may send this");
        }
        return service.get();
    }
}
