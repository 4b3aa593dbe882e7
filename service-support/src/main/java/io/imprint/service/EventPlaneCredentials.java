package io.imprint.service;

import io.imprint.pki.Pem;
import io.imprint.pki.Providers;
import io.imprint.pki.issuance.IssuedCertificateVerifier;
import io.imprint.pki.service.ServiceIdentity;
import io.imprint.pki.signing.PemCredentials;
import io.imprint.pki.signing.ServiceCommandVerifier;
import io.imprint.pki.signing.ServiceCredential;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Loads, once and at start-up, what a service needs to be trusted on the event plane and to trust others:
 * its own identity (checked to be this service's, from the service CA), the verifier of signed commands,
 * and the verifier of issued certificates. A wrong or missing file stops the service with a sentence saying
 * which setting to fix; the private key itself is never printed.
 */
public class EventPlaneCredentials {
    private static final Logger LOG = Logger.getLogger(EventPlaneCredentials.class);

    @Produces
    @Startup
    @Singleton
    ServiceCredential identity(
            EventPlaneConfig config, @ConfigProperty(name = "quarkus.application.name") String service) {
        ServiceCredential credential;
        try {
            credential = PemCredentials.service(config.identity());
        } catch (RuntimeException e) {
            throw new IllegalStateException("imprint.event-plane.identity (IMPRINT_EVENT_PLANE_IDENTITY): "
                    + e.getMessage() + "; enrol this service with deploy/local/identities.sh " + service);
        }
        ServiceIdentity identity = credential.identity();
        if (!identity.name().equals(service)) {
            throw new IllegalStateException("imprint.event-plane.identity is the identity of '" + identity.name()
                    + "', not of '" + service + "'");
        }
        try {
            credential.certificate().verify(serviceCa(config).getPublicKey(), Providers.BC);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("imprint.event-plane.identity is not issued by the service CA of"
                    + " imprint.event-plane.service-ca (" + config.serviceCa() + ")");
        }
        LOG.infof(
                "event plane identity: %s, valid until %s",
                identity.principal(), credential.certificate().getNotAfter().toInstant());
        return credential;
    }

    @Produces
    @Singleton
    ServiceCommandVerifier commands(EventPlaneConfig config) {
        return new ServiceCommandVerifier(serviceCa(config));
    }

    @Produces
    @Singleton
    IssuedCertificateVerifier issuedCertificates(EventPlaneConfig config) {
        List<X509Certificate> cas = new ArrayList<>();
        for (Path file : config.issuingCas().orElse(List.of())) {
            cas.addAll(certificates(file, "imprint.event-plane.issuing-cas"));
        }
        if (cas.isEmpty()) {
            throw new IllegalStateException(
                    "imprint.event-plane.issuing-cas (IMPRINT_EVENT_PLANE_ISSUING_CAS) names no"
                            + " issuing CA certificate: list the PEM files of every CA whose certificates this service accepts");
        }
        return new IssuedCertificateVerifier(cas);
    }

    private static X509Certificate serviceCa(EventPlaneConfig config) {
        List<X509Certificate> certificates = certificates(config.serviceCa(), "imprint.event-plane.service-ca");
        if (certificates.size() != 1 || certificates.get(0).getBasicConstraints() < 0) {
            throw new IllegalStateException("imprint.event-plane.service-ca: " + config.serviceCa()
                    + " must hold exactly the service CA's certificate");
        }
        return certificates.get(0);
    }

    private static List<X509Certificate> certificates(Path file, String setting) {
        try {
            return Pem.certificates(Files.readString(file));
        } catch (IOException | IllegalArgumentException e) {
            throw new IllegalStateException(setting + ": cannot read PEM certificates from " + file);
        }
    }
}
