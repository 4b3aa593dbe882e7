package io.imprint.pki.intake;

import io.imprint.contracts.ReasonCode;
import io.imprint.contracts.events.CsrSubmittedV1;
import io.imprint.pki.RequestRejectedException;
import io.imprint.pki.attestation.AttestedDevice;
import io.imprint.pki.csr.CsrAttributePolicy;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Whether a submission falls under its production order, in this order (the first failure decides):
 * the order belongs to the station's factory; it is open and now is inside its window; the device id is
 * allowed; the secure-element type is allowed; attestation is present when required; and, in
 * {@link #checkValidated}, what needs the validated submission. Quota, replay and
 * manifest need shared state and are the store's job.
 */
public final class OrderRules {
    private static final Map<String, DeviceIdPattern> PATTERNS = new ConcurrentHashMap<>();

    private OrderRules() {}

    public static void check(ProductionOrder order, CsrSubmittedV1 submission, String stationFactoryId, Instant now)
            throws RequestRejectedException {
        if (!order.factoryId().equals(stationFactoryId)) {
            throw new RequestRejectedException(
                    ReasonCode.ORDER_FACTORY_MISMATCH,
                    "order " + order.orderId() + " belongs to factory " + order.factoryId() + ", not to "
                            + stationFactoryId);
        }
        if (!order.open()) {
            throw new RequestRejectedException(ReasonCode.ORDER_NOT_OPEN, "order " + order.orderId() + " is closed");
        }
        if (now.isBefore(order.notBefore()) || now.isAfter(order.notAfter())) {
            throw new RequestRejectedException(
                    ReasonCode.ORDER_NOT_OPEN,
                    "order " + order.orderId() + " is valid from " + order.notBefore() + " to " + order.notAfter());
        }
        checkDeviceId(order, submission.deviceId());
        String type = submission.secureElementType() == null
                ? null
                : submission.secureElementType().toUpperCase(Locale.ROOT);
        if (!order.secureElementTypes().isEmpty()
                && (type == null || !order.secureElementTypes().contains(type))) {
            throw new RequestRejectedException(
                    ReasonCode.SECURE_ELEMENT_NOT_ALLOWED,
                    "order " + order.orderId() + " allows secure elements " + order.secureElementTypes()
                            + ", the submission names " + type);
        }
        if (order.attestationRequired() && submission.attestationChain().isEmpty() && submission.tpm() == null) {
            throw new RequestRejectedException(
                    ReasonCode.ATTESTATION_REQUIRED,
                    "order " + order.orderId()
                            + " requires the secure element's attestation chain (attestationChain), or tpm for a TPM");
        }
    }

    /** Why {@code pattern} is refused, or null if it compiles; operators get this answer when they create an order. */
    public static String patternProblem(String pattern) {
        try {
            DeviceIdPattern.compile(pattern);
            return null;
        } catch (IllegalArgumentException e) {
            return e.getMessage();
        }
    }

    /**
     * The order's rules that need the validated submission: its CSR's attributes are ones the order ignores;
     * under a Matter certification declaration, the device's DAC is one the declaration covers.
     */
    public static void checkValidated(ProductionOrder order, ValidatedSubmission valid)
            throws RequestRejectedException {
        CsrAttributePolicy.check(valid.csr(), order.ignoredCsrAttributes(), order.orderId());
        if (order.matterDeclaration() != null) {
            AttestedDevice device = valid.attestation();
            if (device == null || device.matter() == null) {
                throw new RequestRejectedException(
                        ReasonCode.ATTESTATION_REQUIRED,
                        "order " + order.orderId()
                                + " is for Matter devices under a certification declaration: the submission must carry the "
                                + "DAC and PAI, with a secure-element type whose attestation format is matter");
            }
            order.matterDeclaration().checkCovers(device.matter(), device.root());
        }
    }

    private static void checkDeviceId(ProductionOrder order, String deviceId) throws RequestRejectedException {
        if (order.deviceIdPattern() != null
                && !PATTERNS.computeIfAbsent(order.deviceIdPattern(), DeviceIdPattern::compile)
                        .matches(deviceId)) {
            throw new RequestRejectedException(
                    ReasonCode.DEVICE_ID_NOT_ALLOWED,
                    "device id " + deviceId + " does not match the pattern of order " + order.orderId() + ": "
                            + order.deviceIdPattern());
        }
        if (order.deviceIdFirst() != null
                && order.deviceIdLast() != null
                && (deviceId.length() != order.deviceIdFirst().length()
                        || deviceId.compareTo(order.deviceIdFirst()) < 0
                        || deviceId.compareTo(order.deviceIdLast()) > 0)) {
            throw new RequestRejectedException(
                    ReasonCode.DEVICE_ID_NOT_ALLOWED,
                    "device id " + deviceId
                            + " is outside the range of order " + order.orderId() + ": " + order.deviceIdFirst()
                            + " to "
                            + order.deviceIdLast());
        }
    }
}
