package io.imprint.service;

import io.imprint.contracts.Headers;
import io.imprint.pki.Pem;
import io.imprint.pki.UntrustedEventException;
import io.imprint.pki.operator.OperatorIdentity;
import io.imprint.pki.signing.OperatorRequestVerifier;
import io.smallrye.reactive.messaging.kafka.KafkaRecord;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Checks, before a consumer acts on a request a person signed ({@code revocation.requested}), that an operator of the
 * operator CA signed its exact value, that it is the operator the request names, and that the roles file grants
 * them {@code role}; throws {@link UntrustedEventException} otherwise. The same CA and roles file as the HTTPS
 * operator APIs, so an operator may do by a signed record exactly what they may do there.
 */
@ApplicationScoped
public class OperatorRequests {
    private final OperatorRequestVerifier verifier;
    private final Instance<OperatorRoles> roles;

    public OperatorRequests(
            @ConfigProperty(name = "imprint.operators.ca") String operatorCa, Instance<OperatorRoles> roles) {
        this.verifier = new OperatorRequestVerifier(operatorCa(operatorCa));
        this.roles = roles;
    }

    public OperatorIdentity verify(KafkaRecord<String, byte[]> record, String claimedOperator, String role) {
        return verifier.verify(
                IncomingRecords.header(record.getHeaders(), Headers.OPERATOR_CERT),
                IncomingRecords.header(record.getHeaders(), Headers.OPERATOR_SIGNATURE),
                record.getPayload(),
                Instant.now(),
                claimedOperator,
                operator ->
                        roles.isResolvable() && roles.get().of(operator.name()).contains(role));
    }

    private static X509Certificate operatorCa(String file) {
        List<X509Certificate> certificates;
        try {
            certificates = Pem.certificates(Files.readString(Path.of(file.strip())));
        } catch (IOException | IllegalArgumentException e) {
            throw new IllegalStateException("imprint.operators.ca: cannot read PEM certificates from " + file);
        }
        if (certificates.size() != 1 || certificates.get(0).getBasicConstraints() < 0) {
            throw new IllegalStateException(
                    "imprint.operators.ca: " + file + " must hold exactly the operator CA's" + " certificate");
        }
        return certificates.get(0);
    }
}
