package io.imprint.pki.crl;

import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.x509.CRLDistPoint;
import org.bouncycastle.asn1.x509.DistributionPoint;
import org.bouncycastle.asn1.x509.DistributionPointName;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.IssuingDistributionPoint;

/** Reads the scope of a CRL from its own extensions: what a relying party sees, whatever an event claims. */
public final class CrlExtensions {
    private CrlExtensions() {}

    /** The URL of the Issuing Distribution Point, or null for a CRL of the whole CA. */
    public static String distributionPoint(X509CRL crl) {
        byte[] value = crl.getExtensionValue(Extension.issuingDistributionPoint.getId());
        if (value == null) {
            return null;
        }
        DistributionPointName name = IssuingDistributionPoint.getInstance(
                        ASN1OctetString.getInstance(value).getOctets())
                .getDistributionPoint();
        if (name == null || name.getType() != DistributionPointName.FULL_NAME) {
            throw new IllegalArgumentException("the CRL's issuing distribution point has no full name");
        }
        for (GeneralName general : GeneralNames.getInstance(name.getName()).getNames()) {
            if (general.getTagNo() == GeneralName.uniformResourceIdentifier) {
                return general.getName().toString();
            }
        }
        throw new IllegalArgumentException("the CRL's issuing distribution point names no URI");
    }

    /**
     * The first URI of a certificate's CRL distribution points: the partition whose CRLs cover it. Null when the
     * certificate names none.
     */
    public static String distributionPoint(X509Certificate certificate) {
        byte[] value = certificate.getExtensionValue(Extension.cRLDistributionPoints.getId());
        if (value == null) {
            return null;
        }
        for (DistributionPoint point : CRLDistPoint.getInstance(
                        ASN1OctetString.getInstance(value).getOctets())
                .getDistributionPoints()) {
            DistributionPointName name = point.getDistributionPoint();
            if (name != null && name.getType() == DistributionPointName.FULL_NAME) {
                for (GeneralName general :
                        GeneralNames.getInstance(name.getName()).getNames()) {
                    if (general.getTagNo() == GeneralName.uniformResourceIdentifier) {
                        return general.getName().toString();
                    }
                }
            }
        }
        return null;
    }

    /** The base CRL number of a delta CRL, or null for a full CRL. */
    public static Long deltaBase(X509CRL crl) {
        byte[] value = crl.getExtensionValue(Extension.deltaCRLIndicator.getId());
        return value == null
                ? null
                : ASN1Integer.getInstance(ASN1OctetString.getInstance(value).getOctets())
                        .getValue()
                        .longValueExact();
    }
}
