package io.imprint.intake.persistence;

import io.imprint.pki.attestation.MatterCertificationDeclaration;
import io.imprint.pki.intake.ProductionOrder;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.Set;
import java.util.stream.Collectors;

/** A production order. Its quantity is enforced by {@link QuotaSlotEntity} rows, one per unit. */
@Entity
@Table(name = "production_order")
public class ProductionOrderEntity {
    @Id
    @Column(name = "order_id", length = 128)
    public String orderId;

    @Column(name = "factory_id", nullable = false, length = 128)
    public String factoryId;

    @Column(name = "product_model", nullable = false, length = 128)
    public String productModel;

    @Column(nullable = false)
    public int quantity;

    @Column(name = "not_before", nullable = false)
    public Instant notBefore;

    @Column(name = "not_after", nullable = false)
    public Instant notAfter;

    @Column(name = "device_id_pattern", length = 512)
    public String deviceIdPattern;

    @Column(name = "device_id_first", length = 128)
    public String deviceIdFirst;

    @Column(name = "device_id_last", length = 128)
    public String deviceIdLast;

    /** Comma-separated upper-case types; empty means any. */
    @Column(name = "secure_element_types", nullable = false, length = 512)
    public String secureElementTypes;

    @Column(name = "attestation_required", nullable = false)
    public boolean attestationRequired;

    @Column(name = "allow_reprovisioning", nullable = false)
    public boolean allowReprovisioning;

    @Column(name = "issuing_ca", nullable = false, length = 128)
    public String issuingCa;

    /** Certificate profile for the order's devices; null on orders made before orders chose one (the default). */
    @Column(length = 128)
    public String profile;

    /** Comma-separated OIDs of CSR attributes the order ignores; null or empty: every attribute is refused. */
    @Column(name = "ignored_csr_attributes", length = 512)
    public String ignoredCsrAttributes;

    /** For Matter devices: the product's certification declaration, base64 CMS, verified when the order was made. */
    @Column(name = "matter_certification_declaration", length = 8192)
    public String matterCertificationDeclaration;

    @Column(name = "manifest_size", nullable = false)
    public int manifestSize;

    @Column(nullable = false)
    public boolean open;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "created_by", nullable = false, length = 128)
    public String createdBy;

    @Column(name = "closed_at")
    public Instant closedAt;

    public Set<String> types() {
        return split(secureElementTypes);
    }

    public Set<String> ignoredAttributes() {
        return split(ignoredCsrAttributes);
    }

    private static Set<String> split(String list) {
        return list == null
                ? Set.of()
                : Arrays.stream(list.split(",")).filter(t -> !t.isBlank()).collect(Collectors.toSet());
    }

    public ProductionOrder toOrder() {
        return new ProductionOrder(
                orderId,
                factoryId,
                productModel,
                quantity,
                notBefore,
                notAfter,
                deviceIdPattern,
                deviceIdFirst,
                deviceIdLast,
                types(),
                attestationRequired,
                allowReprovisioning,
                issuingCa,
                open,
                ignoredAttributes(),
                matterCertificationDeclaration == null
                        ? null
                        : MatterCertificationDeclaration.fromVerified(
                                Base64.getDecoder().decode(matterCertificationDeclaration)));
    }
}
