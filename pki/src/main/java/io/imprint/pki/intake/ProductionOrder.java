package io.imprint.pki.intake;

import io.imprint.pki.attestation.MatterCertificationDeclaration;
import java.time.Instant;
import java.util.Set;

/**
 * What a factory may build: {@code quantity} devices of {@code productModel}, between {@code notBefore} and
 * {@code notAfter}, with device ids matching the pattern and/or range, in the secure-element types listed.
 *
 * @param deviceIdPattern      an RE2 regular expression the whole device id must match ({@link DeviceIdPattern}), or
 *                             null for any
 * @param deviceIdFirst        with {@code deviceIdLast}, an inclusive range of equal-length ids compared
 *                             character by character (so zero-padded numbers order numerically), or null
 * @param secureElementTypes   allowed types, upper-case; empty allows any (and none)
 * @param attestationRequired  whether the submission must carry a secure-element attestation chain
 * @param allowReprovisioning  whether a device already provisioned may get a new certificate, superseding the old
 * @param issuingCa            the key alias of the issuing CA that signs this order's certificates
 * @param ignoredCsrAttributes OIDs of CSR attributes this order ignores; any other attribute is refused
 * @param matterDeclaration    for Matter devices, the product's certification declaration every DAC must fall
 *                             under; null for other devices
 * @param open                 false once an operator closed the order
 */
public record ProductionOrder(
        String orderId,
        String factoryId,
        String productModel,
        int quantity,
        Instant notBefore,
        Instant notAfter,
        String deviceIdPattern,
        String deviceIdFirst,
        String deviceIdLast,
        Set<String> secureElementTypes,
        boolean attestationRequired,
        boolean allowReprovisioning,
        String issuingCa,
        boolean open,
        Set<String> ignoredCsrAttributes,
        MatterCertificationDeclaration matterDeclaration) {}
