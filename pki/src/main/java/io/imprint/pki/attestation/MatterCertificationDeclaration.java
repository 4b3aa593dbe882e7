package io.imprint.pki.attestation;

import io.imprint.pki.Providers;
import io.imprint.pki.RequestRejectedException;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.SubjectKeyIdentifier;
import org.bouncycastle.cms.CMSException;
import org.bouncycastle.cms.CMSSignedData;
import org.bouncycastle.cms.SignerInformation;
import org.bouncycastle.cms.jcajce.JcaSimpleSignerInfoVerifierBuilder;

/**
 * A Matter certification declaration (Matter Core Specification, section 6.3): the CSA's signed statement
 * that a vendor's products passed certification. A CMS SignedData whose content is a TLV structure (vendor
 * id, product ids, and optionally the DAC's origin vendor and product, and the PAAs allowed to attest them),
 * signed by a certification-declaration signing key the operator trusts, named by its subject key identifier.
 * An order for Matter devices carries its product's declaration; every attested device must be one it covers.
 *
 * @param vendorId          the certified vendor
 * @param productIds        the certified products
 * @param dacOriginVendorId when present, the vendor whose DACs the products carry (a white-label product)
 * @param dacOriginProductId with it, the product id in those DACs
 * @param authorizedPaas    subject key identifiers of the PAAs allowed to anchor the DACs; empty: any
 * @param certificationType 0 development and test, 1 provisional, 2 official
 */
public record MatterCertificationDeclaration(
        int vendorId,
        Set<Integer> productIds,
        Integer dacOriginVendorId,
        Integer dacOriginProductId,
        Set<String> authorizedPaas,
        int certificationType) {
    /** Far above a real declaration (about 300 octets with a hundred products); bounds parsing. */
    public static final int MAX_BYTES = 4096;

    /**
     * Verifies a certification declaration's CMS signature and parses its content.
     *
     * @param signers the CSA certification-declaration signing certificates the operator trusts
     * @throws IllegalArgumentException naming what is wrong
     */
    public static MatterCertificationDeclaration verify(byte[] cms, List<X509Certificate> signers) {
        if (cms == null || cms.length == 0 || cms.length > MAX_BYTES) {
            throw new IllegalArgumentException("a certification declaration is 1 to " + MAX_BYTES + " octets of CMS");
        }
        byte[] content;
        try {
            CMSSignedData signed = new CMSSignedData(cms);
            if (signed.getSignerInfos().size() != 1
                    || !(signed.getSignedContent().getContent() instanceof byte[] c)) {
                throw new IllegalArgumentException("a certification declaration has one signer and its content");
            }
            SignerInformation signer =
                    signed.getSignerInfos().getSigners().iterator().next();
            X509Certificate trusted = signers.stream()
                    .filter(s -> Arrays.equals(subjectKeyId(s), signer.getSID().getSubjectKeyIdentifier()))
                    .findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("the certification declaration is signed by a key "
                            + "that is not a trusted certification-declaration signer"));
            if (!signer.verify(new JcaSimpleSignerInfoVerifierBuilder()
                    .setProvider(Providers.BC)
                    .build(trusted))) {
                throw new IllegalArgumentException("the certification declaration's signature does not verify");
            }
            content = c;
        } catch (CMSException | org.bouncycastle.operator.OperatorCreationException | RuntimeException e) {
            if (e instanceof IllegalArgumentException known) {
                throw known;
            }
            throw new IllegalArgumentException("the certification declaration is not a valid CMS SignedData");
        }
        return parse(content);
    }

    /**
     * A declaration {@link #verify} accepted before it was stored (with the order, which only the operator API
     * writes): its content, parsed again without the signers.
     */
    public static MatterCertificationDeclaration fromVerified(byte[] cms) {
        try {
            return parse((byte[]) new CMSSignedData(cms).getSignedContent().getContent());
        } catch (CMSException | RuntimeException e) {
            throw new IllegalStateException("a stored certification declaration no longer parses", e);
        }
    }

    static MatterCertificationDeclaration parse(byte[] tlv) {
        Map<Integer, Object> members = MatterTlv.structure(tlv);
        if (!Long.valueOf(1).equals(members.get(0))) {
            throw new IllegalArgumentException("certification declaration format_version must be 1");
        }
        Integer origin = optionalId(members.get(9));
        Integer originProduct = optionalId(members.get(10));
        if ((origin == null) != (originProduct == null)) {
            throw new IllegalArgumentException("dac_origin_vendor_id and dac_origin_product_id come together");
        }
        return new MatterCertificationDeclaration(
                id(members.get(1), "vendor_id"),
                list(members.get(2), "product_id_array").stream()
                        .map(p -> id(p, "product_id_array"))
                        .collect(Collectors.toSet()),
                origin,
                originProduct,
                members.get(11) == null
                        ? Set.of()
                        : list(members.get(11), "authorized_paa_list").stream()
                                .map(paa -> paa instanceof byte[] ski && ski.length == 20
                                        ? HexFormat.of().formatHex(ski)
                                        : null)
                                .peek(ski -> {
                                    if (ski == null) {
                                        throw new IllegalArgumentException(
                                                "authorized_paa_list holds 20-octet key identifiers");
                                    }
                                })
                                .collect(Collectors.toSet()),
                id(members.get(8), "certification_type"));
    }

    /**
     * Whether the declaration covers the device: its DAC's vendor and product are the declared ones (or the
     * declared DAC origin), and its PAA is an authorised one when the declaration lists any.
     */
    public void checkCovers(MatterAttestation.Identity dac, X509Certificate paa) throws RequestRejectedException {
        boolean covered = dacOriginVendorId != null
                ? dac.vendorId() == dacOriginVendorId && dac.productId() == dacOriginProductId
                : dac.vendorId() == vendorId && productIds.contains(dac.productId());
        if (!covered) {
            throw AttestationProfile.broken(
                    "matter-certification-declaration",
                    String.format(
                            "the DAC's vendor %04X and product %04X are not what the order's certification declaration covers",
                            dac.vendorId(), dac.productId()));
        }
        if (!authorizedPaas.isEmpty() && !authorizedPaas.contains(HexFormat.of().formatHex(subjectKeyId(paa)))) {
            throw AttestationProfile.broken(
                    "matter-certification-declaration",
                    "the DAC's PAA is not on the certification declaration's authorised PAA list");
        }
    }

    private static byte[] subjectKeyId(X509Certificate certificate) {
        byte[] extension = certificate.getExtensionValue(Extension.subjectKeyIdentifier.getId());
        return extension == null
                ? new byte[0]
                : SubjectKeyIdentifier.getInstance(
                                ASN1OctetString.getInstance(extension).getOctets())
                        .getKeyIdentifier();
    }

    private static int id(Object value, String field) {
        if (!(value instanceof Long number) || number < 0 || number > 0xFFFF) {
            throw new IllegalArgumentException(
                    "certification declaration " + field + " must be a 16-bit unsigned integer");
        }
        return number.intValue();
    }

    private static Integer optionalId(Object value) {
        return value == null ? null : id(value, "dac_origin");
    }

    private static List<?> list(Object value, String field) {
        if (!(value instanceof List<?> list) || list.isEmpty() || list.size() > 100) {
            throw new IllegalArgumentException("certification declaration " + field + " must be an array of 1 to 100");
        }
        return list;
    }
}
