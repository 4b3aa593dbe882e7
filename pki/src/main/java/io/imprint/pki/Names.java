package io.imprint.pki;

import java.security.cert.X509Certificate;
import java.util.regex.Pattern;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1String;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.style.BCStyle;

/** Reading attributes of distinguished names. */
public final class Names {
    private Names() {}

    public static X500Name of(X509Certificate certificate) {
        return X500Name.getInstance(certificate.getSubjectX500Principal().getEncoded());
    }

    /**
     * The common name of a subject that is exactly {@code OU=<organizationalUnit>, CN=<name>} with a name
     * matching {@code pattern} (the identities Imprint's name-constrained CAs issue), or null for any other.
     */
    public static String commonNameUnder(X500Name subject, String organizationalUnit, Pattern pattern) {
        String name = single(subject, BCStyle.CN);
        if (subject.getRDNs().length != 2
                || name == null
                || !pattern.matcher(name).matches()
                || !organizationalUnit.equals(single(subject, BCStyle.OU))) {
            return null;
        }
        return name;
    }

    /** The value of the one single-valued RDN of {@code type}, or null when there is none, several, or no text. */
    public static String single(X500Name name, ASN1ObjectIdentifier type) {
        RDN[] rdns = name.getRDNs(type);
        if (rdns.length != 1 || rdns[0].isMultiValued()) {
            return null;
        }
        return rdns[0].getFirst().getValue() instanceof ASN1String text ? text.getString() : null;
    }
}
