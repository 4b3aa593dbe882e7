package io.imprint.pki.csr;

import io.imprint.contracts.ReasonCode;
import io.imprint.pki.Pem;
import io.imprint.pki.RequestRejectedException;
import io.imprint.pki.der.CanonicalDer;
import io.imprint.pki.der.DerDefect;
import java.io.IOException;
import java.math.BigInteger;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1String;
import org.bouncycastle.asn1.pkcs.CertificationRequestInfo;
import org.bouncycastle.asn1.x500.AttributeTypeAndValue;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequest;

/**
 * Validates a device CSR, in this order (the first failure decides the reason code):
 * <ol>
 * <li>size cap, PEM (label {@code CERTIFICATE REQUEST}, or the legacy {@code NEW CERTIFICATE REQUEST}), canonical
 * DER ({@link CanonicalDer}, and re-encoding must give the same bytes), version 0;</li>
 * <li>signature algorithm on the allowlist and matching the key type;</li>
 * <li>public key type, curve, point and size under {@link KeyPolicy};</li>
 * <li>proof of possession: the CSR signature verifies with its own key ({@link SignatureVerifier});</li>
 * <li>the subject carries the device id as serialNumber (and as CN, if a CN is present), nothing else;</li>
 * <li>requested extensions under {@link RequestedExtensionsPolicy}; other attributes are reported in
 * {@link ValidatedCsr#attributeTypes()} for the order to refuse or ignore.</li>
 * </ol>
 * Nothing requested is copied: the certificate profile decides the certificate's content.
 */
public final class CsrValidator {
    /** Larger than any legitimate device CSR (an RSA-4096 one is under 2 KiB of PEM). */
    public static final int MAX_CSR_CHARS = 8192;

    private static final List<ASN1ObjectIdentifier> ALLOWED_SUBJECT_ATTRIBUTES =
            List.of(BCStyle.SERIALNUMBER, BCStyle.CN);

    /** PEM labels of a CSR: RFC 2986's, and the one older tools wrote, which RFC 7468 §7 says to accept. */
    private static final List<String> PEM_LABELS = List.of("CERTIFICATE REQUEST", "NEW CERTIFICATE REQUEST");

    public ValidatedCsr validate(String csrPem, String deviceId) throws RequestRejectedException {
        JcaPKCS10CertificationRequest csr = parse(csrPem);
        String algorithm = KeyPolicy.signatureAlgorithm(csr.getSignatureAlgorithm());
        KeyPolicy.checkAlgorithmMatchesKey(algorithm, csr.getSubjectPublicKeyInfo());
        PublicKey key = KeyPolicy.checkedKey(csr.getSubjectPublicKeyInfo());
        checkProofOfPossession(csr, algorithm, key);
        checkSubject(csr.getSubject(), deviceId);
        Set<String> attributeTypes = RequestedExtensionsPolicy.check(csr, deviceId);
        return new ValidatedCsr(deviceId, csr.getSubjectPublicKeyInfo(), key, attributeTypes);
    }

    private static JcaPKCS10CertificationRequest parse(String csrPem) throws RequestRejectedException {
        if (csrPem == null || csrPem.length() > MAX_CSR_CHARS) {
            throw new RequestRejectedException(
                    ReasonCode.CSR_MALFORMED, "CSR is missing or larger than " + MAX_CSR_CHARS + " characters");
        }
        List<byte[]> blocks = new ArrayList<>();
        try {
            for (String label : PEM_LABELS) {
                blocks.addAll(Pem.decodeAll(csrPem, label));
            }
        } catch (IllegalArgumentException e) {
            throw new RequestRejectedException(ReasonCode.CSR_MALFORMED, "CSR is not valid PEM");
        }
        if (blocks.size() != 1) {
            throw new RequestRejectedException(
                    ReasonCode.CSR_MALFORMED,
                    "expected exactly one PEM 'CERTIFICATE REQUEST' block, found " + blocks.size());
        }
        byte[] der = blocks.get(0);
        try {
            CanonicalDer.check(der);
        } catch (DerDefect e) {
            throw new RequestRejectedException(ReasonCode.CSR_MALFORMED, "CSR is not canonical DER: " + e.getMessage());
        }
        JcaPKCS10CertificationRequest csr;
        try {
            csr = new JcaPKCS10CertificationRequest(der);
        } catch (IOException | RuntimeException e) {
            throw new RequestRejectedException(ReasonCode.CSR_MALFORMED, "CSR is not a PKCS#10 request");
        }
        CertificationRequestInfo info = csr.toASN1Structure().getCertificationRequestInfo();
        BigInteger version = info.getVersion().getValue();
        if (version.signum() != 0) {
            throw new RequestRejectedException(
                    ReasonCode.CSR_MALFORMED, "CSR version is " + version + "; PKCS#10 defines only v1 (0)");
        }
        checkAttributeOrder(info);
        try {
            if (!Arrays.equals(der, csr.toASN1Structure().getEncoded(ASN1Encoding.DER))) {
                throw new IOException("re-encoding differs");
            }
        } catch (IOException | RuntimeException e) {
            throw new RequestRejectedException(ReasonCode.CSR_MALFORMED, "CSR is not a PKCS#10 request in DER");
        }
        return csr;
    }

    /** The attributes are an implicitly tagged SET OF, which the generic check cannot know to sort. */
    private static void checkAttributeOrder(CertificationRequestInfo info) throws RequestRejectedException {
        List<byte[]> encodings = new ArrayList<>();
        try {
            for (ASN1Encodable attribute : info.getAttributes()) {
                encodings.add(attribute.toASN1Primitive().getEncoded(ASN1Encoding.DER));
            }
            CanonicalDer.checkSetOfOrder(encodings, "CSR attributes");
        } catch (IOException e) {
            throw new RequestRejectedException(ReasonCode.CSR_MALFORMED, "CSR attributes cannot be encoded");
        } catch (DerDefect e) {
            throw new RequestRejectedException(ReasonCode.CSR_MALFORMED, "CSR is not canonical DER: " + e.getMessage());
        }
    }

    private static void checkProofOfPossession(JcaPKCS10CertificationRequest csr, String algorithm, PublicKey key)
            throws RequestRejectedException {
        byte[] signed;
        try {
            signed = csr.toASN1Structure().getCertificationRequestInfo().getEncoded(ASN1Encoding.DER);
        } catch (IOException e) {
            throw new RequestRejectedException(ReasonCode.CSR_MALFORMED, "CSR request info cannot be encoded");
        }
        if (!SignatureVerifier.verify(algorithm, key, signed, csr.getSignature())) {
            throw new RequestRejectedException(
                    ReasonCode.CSR_SIGNATURE_INVALID,
                    "CSR signature does not verify with its public key (no proof of possession)");
        }
    }

    private static void checkSubject(X500Name subject, String deviceId) throws RequestRejectedException {
        String serialNumber = null;
        for (RDN rdn : subject.getRDNs()) {
            for (AttributeTypeAndValue attribute : rdn.getTypesAndValues()) {
                ASN1ObjectIdentifier type = attribute.getType();
                String value = attribute.getValue() instanceof ASN1String text ? text.getString() : null;
                if (!ALLOWED_SUBJECT_ATTRIBUTES.contains(type)) {
                    throw new RequestRejectedException(
                            ReasonCode.CSR_SUBJECT_MISMATCH,
                            "CSR subject may carry only serialNumber and CN; found " + type.getId());
                }
                if (!deviceId.equals(value)) {
                    throw new RequestRejectedException(
                            ReasonCode.CSR_SUBJECT_MISMATCH,
                            "CSR subject names another device than the submitted device id");
                }
                if (type.equals(BCStyle.SERIALNUMBER)) {
                    if (serialNumber != null) {
                        throw new RequestRejectedException(
                                ReasonCode.CSR_SUBJECT_MISMATCH, "CSR subject carries serialNumber more than once");
                    }
                    serialNumber = value;
                }
            }
        }
        if (serialNumber == null) {
            throw new RequestRejectedException(
                    ReasonCode.CSR_SUBJECT_MISMATCH, "CSR subject must carry the device id as serialNumber");
        }
    }
}
