package io.imprint.pki.issuance;

import io.imprint.pki.Names;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.util.Optional;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.asn1.ASN1TaggedObject;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;

/**
 * The device id a device certificate names, as {@link DeviceCertificateIssuer} writes it: the subject's
 * serialNumber (profile subject {@code device-id}), else the hwSerialNum of an RFC 4108 HardwareModuleName
 * subjectAltName (profile subject {@code empty}).
 */
public final class DeviceIdentities {
    private DeviceIdentities() {}

    public static Optional<String> deviceId(X509Certificate certificate) {
        String serialNumber = Names.single(Names.of(certificate), BCStyle.SERIALNUMBER);
        return serialNumber != null ? Optional.of(serialNumber) : hardwareModuleSerial(certificate);
    }

    private static Optional<String> hardwareModuleSerial(X509Certificate certificate) {
        byte[] extension = certificate.getExtensionValue(Extension.subjectAlternativeName.getId());
        if (extension == null) {
            return Optional.empty();
        }
        try {
            for (GeneralName name : GeneralNames.getInstance(
                            ASN1OctetString.getInstance(extension).getOctets())
                    .getNames()) {
                if (name.getTagNo() != GeneralName.otherName) {
                    continue;
                }
                ASN1Sequence otherName = ASN1Sequence.getInstance(name.getName());
                if (!DeviceCertificateIssuer.HARDWARE_MODULE_NAME.equals(otherName.getObjectAt(0))) {
                    continue;
                }
                ASN1Sequence module = ASN1Sequence.getInstance(
                        ASN1TaggedObject.getInstance(otherName.getObjectAt(1)).getExplicitBaseObject());
                ASN1ObjectIdentifier.getInstance(module.getObjectAt(0));
                return Optional.of(new String(
                        ASN1OctetString.getInstance(module.getObjectAt(1)).getOctets(), StandardCharsets.UTF_8));
            }
        } catch (IllegalArgumentException | ClassCastException e) {
            return Optional.empty();
        }
        return Optional.empty();
    }
}
