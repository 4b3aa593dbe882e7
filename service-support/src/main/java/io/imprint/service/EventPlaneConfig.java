package io.imprint.service;

import io.smallrye.config.ConfigMapping;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * How a service takes part in the event plane. Its Kafka client settings ({@code kafka.*}, in
 * {@code META-INF/microprofile-config.properties} of this module) point at the same files: mutual TLS with
 * {@link #identity()}, trusting the broker because {@link #serviceCa()} issued its certificate.
 */
@ConfigMapping(prefix = "imprint.event-plane")
public interface EventPlaneConfig {
    /**
     * This service's identity: a PEM file with its private key and its certificate chain from the service CA
     * ({@code deploy/local/identities.sh}). It authenticates the service to the broker and signs the
     * commands it sends. Readable by the service only; never logged.
     */
    Path identity();

    /** The service CA's certificate: who issues the broker's and the services' identities. */
    Path serviceCa();

    /**
     * PEM files of the issuing CAs whose {@code cert.issued} events this service accepts (audit,
     * fleet-registry, revocation); a certificate any other CA signed is refused.
     */
    Optional<List<Path>> issuingCas();
}
