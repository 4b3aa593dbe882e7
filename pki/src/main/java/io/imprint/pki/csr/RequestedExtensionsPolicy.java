package io.imprint.pki.csr;

import io.imprint.contracts.ReasonCode;
import io.imprint.pki.RequestRejectedException;
import io.imprint.pki.der.CanonicalDer;
import io.imprint.pki.der.DerDefect;
import java.io.IOException;
import java.util.Set;
import java.util.TreeSet;
import org.bouncycastle.asn1.ASN1Boolean;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.ASN1Sequence;
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
 * <li>at most one extensionRequest attribute, with one value; each extension in canonical DER down to its
 * value, without an explicitly encoded DEFAULT (critical FALSE, cA FALSE), which DER forbids;</li>
 * <li>attributes other than extensionRequest (e.g. challengePassword) are returned for the order's attribute
 * policy, which refuses them unless the order ignores that type;</li>
 * <li>a subjectAltName must name only the device id, as dNSName or URI;</li>
 * <li>basicConstraints CA:true and unknown critical extensions are refused;</li>
 * <li>keyUsage, extendedKeyUsage, subjectKeyIdentifier and non-critical others are ignored.</li>
 * </ul>
 */
final class RequestedExtensionsPolicy {
    private static final Set<ASN1ObjectIdentifier> IGNORED_CRITICAL = Set.of(
            Extension.keyUsage,
            Extension.extendedKeyUsage,
            Extension.basicConstraints,
            Extension.subjectAlternativeName);

    private RequestedExtensionsPolicy() {}

    /**
     * Refuses what the CSR requests against the policy above.
     *
     * @return the OIDs of attributes other than extensionRequest
     */
    static Set<String> check(PKCS10CertificationRequest csr, String deviceId) throws RequestRejectedException {
        Set<String> otherAttributes = new TreeSet<>();
        int extensionRequests = 0;
        for (Attribute attribute : csr.getAttributes()) {
            if (attribute.getAttrType().equals(PKCSObjectIdentifiers.pkcs_9_at_extensionRequest)) {
                extensionRequests++;
                checkCanonical(attribute);
            } else if (!otherAttributes.add(attribute.getAttrType().getId())) {
                throw malformed("CSR attribute " + attribute.getAttrType().getId() + " appears more than once");
            }
        }
        if (extensionRequests > 1) {
            throw malformed("CSR carries extensionRequest more than once");
        }
        checkExtensions(csr, deviceId);
        return Set.copyOf(otherAttributes);
    }

    private static void checkExtensions(PKCS10CertificationRequest csr, String deviceId)
            throws RequestRejectedException {
        Extensions extensions;
        try {
            extensions = csr.getRequestedExtensions();
        } catch (RuntimeException e) {
            throw malformed("CSR extensionRequest is malformed");
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

    /**
     * The parts of an extensionRequest that BouncyCastle's parser normalises away: one value; no explicit
     * critical FALSE; each extnValue canonical DER; no explicit basicConstraints cA FALSE.
     */
    private static void checkCanonical(Attribute extensionRequest) throws RequestRejectedException {
        ASN1Encodable[] values = extensionRequest.getAttributeValues();
        if (values.length != 1 || !(values[0] instanceof ASN1Sequence requested)) {
            throw malformed("CSR extensionRequest must hold exactly one SEQUENCE of extensions");
        }
        for (ASN1Encodable element : requested) {
            if (!(element instanceof ASN1Sequence extension)
                    || extension.size() < 2
                    || extension.size() > 3
                    || !(extension.getObjectAt(extension.size() - 1) instanceof ASN1OctetString value)) {
                throw malformed("CSR extensionRequest holds a malformed extension");
            }
            String oid = extension.getObjectAt(0).toString();
            if (extension.size() == 3
                    && extension.getObjectAt(1) instanceof ASN1Boolean critical
                    && !critical.isTrue()) {
                throw malformed("CSR is not canonical DER: extension " + oid
                        + " encodes critical FALSE, a DEFAULT value DER requires to be omitted");
            }
            try {
                CanonicalDer.check(value.getOctets());
            } catch (DerDefect e) {
                throw malformed("CSR is not canonical DER: the value of extension " + oid + " has " + e.getMessage());
            }
            if (extension.getObjectAt(0).equals(Extension.basicConstraints)) {
                checkBasicConstraintsCanonical(value.getOctets());
            }
        }
    }

    private static void checkBasicConstraintsCanonical(byte[] value) throws RequestRejectedException {
        ASN1Primitive parsed;
        try {
            parsed = ASN1Primitive.fromByteArray(value);
        } catch (IOException e) {
            throw malformed("CSR requests a malformed basicConstraints");
        }
        if (parsed instanceof ASN1Sequence constraints
                && constraints.size() > 0
                && constraints.getObjectAt(0) instanceof ASN1Boolean ca
                && !ca.isTrue()) {
            throw malformed("CSR is not canonical DER: basicConstraints encodes cA FALSE, a DEFAULT value DER "
                    + "requires to be omitted");
        }
    }

    private static void checkAltNames(GeneralNames names, String deviceId) throws RequestRejectedException {
        for (GeneralName name : names.getNames()) {
            boolean textual =
                    name.getTagNo() == GeneralName.dNSName || name.getTagNo() == GeneralName.uniformResourceIdentifier;
            if (!textual || !(name.getName() instanceof ASN1String text) || !deviceId.equals(text.getString())) {
                throw new RequestRejectedException(
                        ReasonCode.CSR_SUBJECT_MISMATCH,
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

    private static RequestRejectedException malformed(String message) {
        return new RequestRejectedException(ReasonCode.CSR_MALFORMED, message);
    }

    private static RequestRejectedException refused(String message) {
        return new RequestRejectedException(ReasonCode.CSR_EXTENSION_NOT_ALLOWED, message);
    }
}
