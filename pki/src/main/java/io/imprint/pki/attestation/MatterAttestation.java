package io.imprint.pki.attestation;

import io.imprint.pki.RequestRejectedException;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1String;
import org.bouncycastle.asn1.sec.SECObjectIdentifiers;
import org.bouncycastle.asn1.x500.AttributeTypeAndValue;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;

/**
 * Matter device attestation (Matter Core Specification, section 6.2): a Device Attestation Certificate (DAC)
 * issued by a Product Attestation Intermediate (PAI) under a Product Attestation Authority (PAA) from the
 * operator's PAA trust list. On top of {@link AttestationProfile}, each refusal naming its rule:
 * <ul>
 * <li>{@code matter-chain}: exactly DAC and PAI below the PAA;</li>
 * <li>{@code matter-algorithm}: every certificate ECDSA with SHA-256 on a P-256 key;</li>
 * <li>{@code matter-pai-path-length}: the PAI is CA:TRUE with path length 0;</li>
 * <li>{@code matter-dac-basic-constraints}: the DAC carries basicConstraints, critical, CA:FALSE;</li>
 * <li>{@code matter-vid-pid}: the DAC names a vendor id and product id, the PAI a vendor id, each once, as
 * Matter's subject attributes (1.3.6.1.4.1.37244.2.1 and .2) or in the fallback encoding in the common name
 * ({@code Mvid:FFF1 Mpid:8000}), four upper-case hex digits;</li>
 * <li>{@code matter-vid-match}: the DAC's vendor id is its PAI's; the PAI's product id, if it names one, is
 * the DAC's; the PAA's vendor id, if it names one, is the PAI's.</li>
 * </ul>
 */
public final class MatterAttestation {
    public static final ASN1ObjectIdentifier VENDOR_ID = new ASN1ObjectIdentifier("1.3.6.1.4.1.37244.2.1");
    public static final ASN1ObjectIdentifier PRODUCT_ID = new ASN1ObjectIdentifier("1.3.6.1.4.1.37244.2.2");
    private static final Pattern HEX16 = Pattern.compile("[0-9A-F]{4}");

    /** The vendor and product a DAC names. */
    public record Identity(int vendorId, int productId) {}

    private MatterAttestation() {}

    /**
     * @param chain DAC first, then the PAI (the PAA removed: it is the trust anchor)
     * @param paa   the trust-list PAA the chain validated to
     */
    static Identity check(List<X509Certificate> chain, X509Certificate paa) throws RequestRejectedException {
        if (chain.size() != 2) {
            throw AttestationProfile.broken(
                    "matter-chain",
                    "a Matter chain is the DAC and its PAI; found " + chain.size() + " certificates below the PAA");
        }
        X509Certificate dac = chain.get(0);
        X509Certificate pai = chain.get(1);
        for (X509Certificate certificate : chain) {
            AlgorithmIdentifier key = SubjectPublicKeyInfo.getInstance(
                            certificate.getPublicKey().getEncoded())
                    .getAlgorithm();
            boolean p256 = key.getAlgorithm().equals(X9ObjectIdentifiers.id_ecPublicKey)
                    && SECObjectIdentifiers.secp256r1.equals(key.getParameters());
            if (!X9ObjectIdentifiers.ecdsa_with_SHA256.getId().equals(certificate.getSigAlgOID()) || !p256) {
                throw AttestationProfile.broken(
                        "matter-algorithm",
                        subject(certificate) + " must be signed with ECDSA-SHA256 and carry a P-256 key");
            }
        }
        if (pai.getBasicConstraints() != 0) {
            throw AttestationProfile.broken("matter-pai-path-length", "the PAI must be CA:TRUE with path length 0");
        }
        if (dac.getCriticalExtensionOIDs() == null
                || !dac.getCriticalExtensionOIDs().contains("2.5.29.19")) {
            throw AttestationProfile.broken(
                    "matter-dac-basic-constraints", "the DAC must carry basicConstraints, critical, CA:FALSE");
        }
        Optional<Integer> dacVid = id(dac, VENDOR_ID, "Mvid");
        Optional<Integer> dacPid = id(dac, PRODUCT_ID, "Mpid");
        Optional<Integer> paiVid = id(pai, VENDOR_ID, "Mvid");
        Optional<Integer> paiPid = id(pai, PRODUCT_ID, "Mpid");
        Optional<Integer> paaVid = id(paa, VENDOR_ID, "Mvid");
        if (dacVid.isEmpty() || dacPid.isEmpty() || paiVid.isEmpty()) {
            throw AttestationProfile.broken(
                    "matter-vid-pid", "the DAC must name a vendor id and a product id, and " + "the PAI a vendor id");
        }
        if (!dacVid.equals(paiVid)) {
            throw AttestationProfile.broken(
                    "matter-vid-match",
                    "the DAC names vendor " + hex(dacVid.get()) + " but its PAI vendor " + hex(paiVid.get()));
        }
        if (paiPid.isPresent() && !paiPid.equals(dacPid)) {
            throw AttestationProfile.broken(
                    "matter-vid-match",
                    "the DAC names product " + hex(dacPid.get()) + " but its PAI is for product " + hex(paiPid.get()));
        }
        if (paaVid.isPresent() && !paaVid.equals(paiVid)) {
            throw AttestationProfile.broken(
                    "matter-vid-match",
                    "the PAI names vendor " + hex(paiVid.get()) + " but its PAA is vendor " + hex(paaVid.get()) + "'s");
        }
        return new Identity(dacVid.get(), dacPid.get());
    }

    /** The id an attribute or, failing that, the common name's fallback encoding gives; refused if malformed or twice. */
    static Optional<Integer> id(X509Certificate certificate, ASN1ObjectIdentifier type, String fallbackPrefix)
            throws RequestRejectedException {
        X500Name subject =
                X500Name.getInstance(certificate.getSubjectX500Principal().getEncoded());
        Integer found = null;
        Integer fallback = null;
        for (RDN rdn : subject.getRDNs()) {
            for (AttributeTypeAndValue attribute : rdn.getTypesAndValues()) {
                String value = attribute.getValue() instanceof ASN1String text ? text.getString() : null;
                if (attribute.getType().equals(type)) {
                    if (found != null || value == null || !HEX16.matcher(value).matches()) {
                        throw AttestationProfile.broken(
                                "matter-vid-pid",
                                subject(certificate) + " encodes " + fallbackPrefix.substring(1)
                                        + " more than once or not as four upper-case hex digits");
                    }
                    found = Integer.parseInt(value, 16);
                } else if (attribute.getType().equals(BCStyle.CN) && value != null) {
                    Matcher matcher = Pattern.compile(fallbackPrefix + ":([0-9A-F]{4})(?![0-9A-Fa-f])")
                            .matcher(value);
                    if (matcher.find()) {
                        fallback = Integer.parseInt(matcher.group(1), 16);
                    }
                }
            }
        }
        return Optional.ofNullable(found != null ? found : fallback);
    }

    private static String subject(X509Certificate certificate) {
        return certificate.getSubjectX500Principal().getName();
    }

    private static String hex(int id) {
        return String.format(Locale.ROOT, "%04X", id);
    }
}
