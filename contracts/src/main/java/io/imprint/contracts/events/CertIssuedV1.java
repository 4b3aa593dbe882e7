package io.imprint.contracts.events;

import java.time.Instant;

/**
 * The signer issued a device certificate.
 *
 * @param serialNumber lower-case hex, no leading zeros (as {@code openssl x509 -serial} prints it, lower-cased)
 * @param issuer       RFC 4514 issuer name
 * @param certificate  PEM device certificate
 * @param chain        PEM issuing CA certificate(s), nearest first, without the root
 * @param productModel      as the accepted request carried it, or null
 * @param secureElementType as the accepted request carried it, or null
 */
public record CertIssuedV1(
        String requestId,
        String deviceId,
        String factoryId,
        String stationId,
        String orderId,
        String serialNumber,
        String issuer,
        Instant notBefore,
        Instant notAfter,
        String certificate,
        String chain,
        Instant issuedAt,
        String productModel,
        String secureElementType)
        implements ImprintEvent {
    public CertIssuedV1 {
        Require.text(requestId, "requestId");
        Require.text(deviceId, "deviceId");
        Require.text(factoryId, "factoryId");
        Require.text(stationId, "stationId");
        Require.text(orderId, "orderId");
        Require.text(serialNumber, "serialNumber");
        Require.text(issuer, "issuer");
        Require.present(notBefore, "notBefore");
        Require.present(notAfter, "notAfter");
        Require.text(certificate, "certificate");
        Require.text(chain, "chain");
        Require.present(issuedAt, "issuedAt");
    }

    /** An issuance without the device facts fleet-registry keeps. */
    public CertIssuedV1(
            String requestId,
            String deviceId,
            String factoryId,
            String stationId,
            String orderId,
            String serialNumber,
            String issuer,
            Instant notBefore,
            Instant notAfter,
            String certificate,
            String chain,
            Instant issuedAt) {
        this(
                requestId,
                deviceId,
                factoryId,
                stationId,
                orderId,
                serialNumber,
                issuer,
                notBefore,
                notAfter,
                certificate,
                chain,
                issuedAt,
                null,
                null);
    }
}
