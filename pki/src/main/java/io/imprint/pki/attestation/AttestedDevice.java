package io.imprint.pki.attestation;

import java.security.cert.X509Certificate;

/**
 * A secure element's attestation that verified.
 *
 * @param certificate the device certificate (for Matter, the DAC)
 * @param root        the trusted root the chain validated to (for Matter, the PAA)
 * @param matter      the DAC's vendor and product, for a Matter type; null otherwise
 */
public record AttestedDevice(X509Certificate certificate, X509Certificate root, MatterAttestation.Identity matter) {}
