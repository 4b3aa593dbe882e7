package io.imprint.intake.service;

import io.imprint.intake.persistence.ProductionOrderEntity;
import io.imprint.pki.attestation.KeyFingerprint;
import io.imprint.pki.attestation.MatterCertificationDeclaration;
import io.imprint.pki.csr.CsrAttributePolicy;
import io.imprint.pki.intake.OrderRules;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/** The body of {@code POST /orders}. Only orderId, factoryId, productModel, quantity and notAfter are required. */
public record OrderRequest(
        String orderId,
        String factoryId,
        String productModel,
        Integer quantity,
        Instant notBefore,
        Instant notAfter,
        String deviceIdPattern,
        DeviceIdRange deviceIdRange,
        List<String> secureElementTypes,
        Boolean attestationRequired,
        Boolean allowReprovisioning,
        String issuingCa,
        String profile,
        List<String> manifest,
        List<String> ignoredCsrAttributes,
        String matterCertificationDeclaration) {

    /** Each unit of quantity is a row (see QuotaSlotEntity); ten million is far beyond any single run. */
    static final int MAX_QUANTITY = 10_000_000;

    static final int MAX_IGNORED_ATTRIBUTES = 8;
    /** The columns that hold the type and attribute lists (ProductionOrderEntity): a longer list would fail the insert. */
    static final int MAX_LIST_CHARS = 512;

    public record DeviceIdRange(String first, String last) {}

    /** What is wrong with the request, or null when it is a valid order. */
    String problem(List<String> issuingCas, List<String> profiles) {
        if (!identifier(orderId) || !identifier(factoryId) || !identifier(productModel)) {
            return "orderId, factoryId and productModel are required: 1 to 128 characters of A-Z a-z 0-9 . _ : -";
        }
        if (quantity == null || quantity < 1 || quantity > MAX_QUANTITY) {
            return "quantity must be 1 to " + MAX_QUANTITY + "; split larger runs into several orders";
        }
        if (notAfter == null || (notBefore != null && !notAfter.isAfter(notBefore))) {
            return "notAfter is required and must be after notBefore";
        }
        String patternProblem = deviceIdPattern == null ? null : OrderRules.patternProblem(deviceIdPattern);
        if (patternProblem != null) {
            return patternProblem;
        }
        if (deviceIdRange != null
                && (deviceIdRange.first() == null
                        || deviceIdRange.last() == null
                        || deviceIdRange.first().length()
                                != deviceIdRange.last().length()
                        || deviceIdRange.first().compareTo(deviceIdRange.last()) > 0)) {
            return "deviceIdRange needs first <= last, of equal length";
        }
        if (issuingCa != null && !issuingCas.contains(issuingCa)) {
            return "issuingCa must be one of " + issuingCas;
        }
        if (profile != null && !profiles.contains(profile)) {
            return "profile must be one of " + profiles;
        }
        if (secureElementTypes != null && secureElementTypes.stream().anyMatch(t -> !identifier(t))) {
            return "secureElementTypes must be identifiers such as ATECC608A, OPTIGA_TRUST_M, SE050";
        }
        if (manifest != null && !manifest.stream().allMatch(KeyFingerprint::isWellFormed)) {
            return "manifest entries must be SHA-256 fingerprints of SubjectPublicKeyInfo DER, 64 hex digits";
        }
        if (secureElementTypes != null && typeList().length() > MAX_LIST_CHARS) {
            return "secureElementTypes may take at most " + MAX_LIST_CHARS + " characters together";
        }
        if (ignoredCsrAttributes != null
                && (ignoredCsrAttributes.size() > MAX_IGNORED_ATTRIBUTES
                        || ignoredCsrAttributes.stream().anyMatch(a -> CsrAttributePolicy.oid(a) == null)
                        || ignoredAttributeList().length() > MAX_LIST_CHARS)) {
            return "ignoredCsrAttributes lists at most " + MAX_IGNORED_ATTRIBUTES + " CSR attribute types, each a "
                    + "dotted OID or one of challengePassword, unstructuredName, unstructuredAddress";
        }
        return null;
    }

    /** Why the certification declaration is refused, or null when there is none or it verifies. */
    String declarationProblem(List<X509Certificate> cdSigners) {
        if (matterCertificationDeclaration == null) {
            return null;
        }
        if (cdSigners.isEmpty()) {
            return "no certification-declaration signer is configured (imprint.intake.matter-cd-signers)";
        }
        try {
            MatterCertificationDeclaration.verify(
                    Base64.getDecoder().decode(matterCertificationDeclaration), cdSigners);
            return null;
        } catch (IllegalArgumentException e) {
            return "matterCertificationDeclaration: " + e.getMessage();
        }
    }

    /** As stored: upper-case, distinct, sorted, comma-separated. */
    private String typeList() {
        return secureElementTypes == null
                ? ""
                : secureElementTypes.stream()
                        .map(t -> t.toUpperCase(Locale.ROOT))
                        .distinct()
                        .sorted()
                        .collect(Collectors.joining(","));
    }

    /** As stored: OIDs, distinct, sorted, comma-separated. */
    private String ignoredAttributeList() {
        return ignoredCsrAttributes == null
                ? ""
                : ignoredCsrAttributes.stream()
                        .map(CsrAttributePolicy::oid)
                        .distinct()
                        .sorted()
                        .collect(Collectors.joining(","));
    }

    ProductionOrderEntity toEntity(String defaultIssuingCa, String defaultProfile, String operator, Instant now) {
        ProductionOrderEntity e = new ProductionOrderEntity();
        e.orderId = orderId;
        e.factoryId = factoryId;
        e.productModel = productModel;
        e.quantity = quantity;
        e.notBefore = notBefore == null ? now : notBefore;
        e.notAfter = notAfter;
        e.deviceIdPattern = deviceIdPattern;
        e.deviceIdFirst = deviceIdRange == null ? null : deviceIdRange.first();
        e.deviceIdLast = deviceIdRange == null ? null : deviceIdRange.last();
        e.secureElementTypes = typeList();
        e.attestationRequired = Boolean.TRUE.equals(attestationRequired);
        e.allowReprovisioning = Boolean.TRUE.equals(allowReprovisioning);
        e.issuingCa = issuingCa == null ? defaultIssuingCa : issuingCa;
        e.profile = profile == null ? defaultProfile : profile;
        e.ignoredCsrAttributes = ignoredAttributeList();
        e.matterCertificationDeclaration = matterCertificationDeclaration;
        e.open = true;
        e.createdAt = now;
        e.createdBy = operator;
        return e;
    }

    private static boolean identifier(String value) {
        return value != null && value.matches("[A-Za-z0-9._:-]{1,128}");
    }
}
