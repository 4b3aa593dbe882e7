package io.imprint.service;

import io.imprint.contracts.Headers;
import io.imprint.pki.UntrustedEventException;
import io.imprint.pki.service.ServiceIdentity;
import io.imprint.pki.signing.ServiceCommandVerifier;
import io.smallrye.reactive.messaging.kafka.KafkaRecord;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.Set;

/**
 * Checks, before a consumer acts on a record, that one of the {@code allowed} services signed its exact value
 * with its identity from the service CA; throws {@link UntrustedEventException} otherwise.
 */
@ApplicationScoped
public class SignedCommands {
    private final ServiceCommandVerifier verifier;

    public SignedCommands(ServiceCommandVerifier verifier) {
        this.verifier = verifier;
    }

    public ServiceIdentity verify(KafkaRecord<String, byte[]> record, Set<String> allowed) {
        return verifier.verify(
                IncomingRecords.header(record.getHeaders(), Headers.SERVICE_CERT),
                IncomingRecords.header(record.getHeaders(), Headers.SERVICE_SIGNATURE),
                record.getPayload(),
                Instant.now(),
                allowed);
    }
}
