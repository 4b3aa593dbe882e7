package io.imprint.contracts.events;

import java.time.Instant;

/**
 * csr-intake authenticated the station and validated the CSR. The signer takes only what it needs: the
 * request id, the CSR, the profile, the issuing CA, the acceptance time (notBefore) and the serial.
 *
 * @param profile   name of the certificate profile the order names (the signer's imprint.signer.profiles)
 * @param issuingCa key alias of the issuing CA the order names, or null for the signer's default
 * @param serial    the certificate's serial number, lower-case hex: 128 bits drawn from a CSPRNG when the
 *                  request was accepted and stored with the decision, so a redelivered request is signed to
 *                  the same serial
 * @param productModel      the order's product model, or null (events from before it was carried)
 * @param secureElementType the secure element's type as the station declared it (checked against the vendor's
 *                          root when the order requires attestation), or null
 */
public record CsrAcceptedV1(
        String requestId,
        String deviceId,
        String factoryId,
        String stationId,
        String orderId,
        String csr,
        String profile,
        Instant acceptedAt,
        String issuingCa,
        String serial,
        String productModel,
        String secureElementType)
        implements ImprintEvent {
    public CsrAcceptedV1 {
        Require.text(requestId, "requestId");
        Require.text(deviceId, "deviceId");
        Require.text(factoryId, "factoryId");
        Require.text(stationId, "stationId");
        Require.text(orderId, "orderId");
        Require.text(csr, "csr");
        Require.text(profile, "profile");
        Require.present(acceptedAt, "acceptedAt");
        Require.hex(serial, "serial");
    }

    /** An acceptance without the device facts fleet-registry keeps. */
    public CsrAcceptedV1(
            String requestId,
            String deviceId,
            String factoryId,
            String stationId,
            String orderId,
            String csr,
            String profile,
            Instant acceptedAt,
            String issuingCa,
            String serial) {
        this(
                requestId,
                deviceId,
                factoryId,
                stationId,
                orderId,
                csr,
                profile,
                acceptedAt,
                issuingCa,
                serial,
                null,
                null);
    }
}
