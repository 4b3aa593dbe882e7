package io.imprint.pki.csr;

import io.imprint.contracts.ReasonCode;
import io.imprint.pki.RequestRejectedException;
import java.util.Set;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1String;
import org.bouncycastle.asn1.pkcs.Attribute;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.Extensions;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;

/**
 * What a CSR may ask for. Nothing it requests is copied into the certificate (the profile decides), but a
 * request that shows intent the policy refuses is rejected rather than silently dropped:
 * <ul>
 * <li>attributes other than extensionRequest (e.g. challengePassword) are refused;</li>
 * <li>a subjectAltName must name only the device id, as dNSName or URI;</li>
 * <li>basicConstraints CA:true and unknown critical extensions are refused;</li>
 * <li>keyUsage, extendedKeyUsage, subjectKeyIdentifier and non-critical others are ignored.</li>
 * </ul>
 */
final class RequestedExtensionsPolicy {
    private static final Set<ASN1ObjectIdentifier> IGNORED_CRITICAL = Set.of(Extension.keyUsage,
            Extension.extendedKeyUsage, Extension.basicConstraints, Extension.subjectAlternativeName);

    private RequestedExtensionsPolicy() {
    }

    static void check(PKCS10CertificationRequest csr, String deviceId) throws RequestRejectedException {
        for (Attribute attribute : csr.getAttributes()) {
            if (!attribute.getAttrType().equals(PKCSObjectIdentifiers.pkcs_9_at_extensionRequest)) {
                throw refused("CSR attribute " + attribute.getAttrType().getId() + " is not allowed");
            }
        }
        Extensions extensions;
        try {
            extensions = csr.getRequestedExtensions();
        } catch (RuntimeException e) {
            throw new RequestRejectedException(ReasonCode.CSR_MALFORMED, "CSR extensionRequest is malformed");
        }
        if (extensions == null) {
            return;
        }
        for (ASN1ObjectIdentifier oid : extensions.getExtensionOIDs()) {
            Extension extension = extensions.getExtension(oid);
            if (extension.isCritical() && !IGNORED_CRITICAL.contains(oid)) {
                throw refused("CSR requests unknown critical extension " + oid.getId());
            }
        }
        BasicConstraints constraints = parse(() -> BasicConstraints.fromExtensions(extensions));
        if (constraints != null && constraints.isCA()) {
            throw refused("CSR requests a CA certificate (basicConstraints CA:true)");
        }
        GeneralNames names = parse(() -> GeneralNames.fromExtensions(extensions, Extension.subjectAlternativeName));
        if (names != null) {
            checkAltNames(names, deviceId);
        }
    }

    private static void checkAltNames(GeneralNames names, String deviceId) throws RequestRejectedException {
        for (GeneralName name : names.getNames()) {
            boolean textual = name.getTagNo() == GeneralName.dNSName
                    || name.getTagNo() == GeneralName.uniformResourceIdentifier;
            if (!textual || !(name.getName() instanceof ASN1String text) || !deviceId.equals(text.getString())) {
                throw new RequestRejectedException(ReasonCode.CSR_SUBJECT_MISMATCH,
                        "CSR subjectAltName may carry only the device id (as dNSName or URI)");
            }
        }
    }

    private interface Parser<T> {
        T parse();
    }

    private static <T> T parse(Parser<T> parser) throws RequestRejectedException {
        try {
            return parser.parse();
        } catch (RuntimeException e) {
            throw new RequestRejectedException(ReasonCode.CSR_MALFORMED, "CSR requests a malformed extension");
        }
    }

    private static RequestRejectedException refused(String message) {
        return new RequestRejectedException(ReasonCode.CSR_EXTENSION_NOT_ALLOWED, message);
    }
}
