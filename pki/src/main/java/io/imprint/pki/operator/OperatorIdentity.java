package io.imprint.pki.operator;

import io.imprint.pki.Names;
import java.security.cert.X509Certificate;
import java.util.Optional;
import java.util.regex.Pattern;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;

/**
 * A person who operates Imprint (orders, revocations, audit), as the operator CA certifies them: subject
 * {@code OU=Imprint operator, CN=<name>}, in that order. The operator CA's name constraint (permitted subtree
 * {@code OU=Imprint operator}) keeps it from certifying anything else, and services accept an operator only
 * under that CA, so a station or service certificate never passes for a person. The name is what every record
 * of the operator's actions carries; roles are granted to it by each service's configuration.
 */
public record OperatorIdentity(String name) {
    public static final String ORGANIZATIONAL_UNIT = "Imprint operator";
    public static final Pattern NAME = Pattern.compile("[a-z][a-z0-9._-]{0,62}");

    public OperatorIdentity {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("operator name must be 1-63 lower-case letters, digits, '.', '_' or"
                    + " '-', starting with a letter");
        }
    }

    public X500Name subject() {
        return new X500NameBuilder(BCStyle.INSTANCE)
                .addRDN(BCStyle.OU, ORGANIZATIONAL_UNIT)
                .addRDN(BCStyle.CN, name)
                .build();
    }

    /** The operator a certificate names, or empty when its subject is not exactly an operator identity. */
    public static Optional<OperatorIdentity> of(X509Certificate certificate) {
        return Optional.ofNullable(Names.commonNameUnder(Names.of(certificate), ORGANIZATIONAL_UNIT, NAME))
                .map(OperatorIdentity::new);
    }

    @Override
    public String toString() {
        return name;
    }
}
