package io.imprint.pki.service;

import io.imprint.pki.Names;
import java.security.cert.X509Certificate;
import java.util.Optional;
import java.util.regex.Pattern;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;

/**
 * Which Imprint service (or infrastructure client: the broker, the administrator, an SRE) a certificate from
 * the service CA identifies: subject {@code OU=Imprint service, CN=<name>}, in that order, so the service
 * CA's name constraint (permitted subtree {@code OU=Imprint service}) keeps it from certifying anything else,
 * and the broker maps the certificate to the principal {@code service:<name>}. The name is the role: the
 * signer accepts {@code csr.accepted} only from {@code csr-intake}.
 */
public record ServiceIdentity(String name) {
    public static final String ORGANIZATIONAL_UNIT = "Imprint service";
    public static final Pattern NAME = Pattern.compile("[a-z][a-z0-9-]{0,62}");

    public ServiceIdentity {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException(
                    "service name must be 1-63 lower-case letters, digits or '-'," + " starting with a letter");
        }
    }

    public X500Name subject() {
        return new X500NameBuilder(BCStyle.INSTANCE)
                .addRDN(BCStyle.OU, ORGANIZATIONAL_UNIT)
                .addRDN(BCStyle.CN, name)
                .build();
    }

    /** The Kafka principal the broker maps this service's certificate to. */
    public String principal() {
        return "service:" + name;
    }

    /** The service a certificate names, or empty when its subject is not exactly a service identity. */
    public static Optional<ServiceIdentity> of(X509Certificate certificate) {
        return Optional.ofNullable(Names.commonNameUnder(Names.of(certificate), ORGANIZATIONAL_UNIT, NAME))
                .map(ServiceIdentity::new);
    }

    @Override
    public String toString() {
        return name;
    }
}
