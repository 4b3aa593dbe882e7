package io.imprint.pki.csr;

import java.security.PublicKey;
import java.util.Set;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;

/**
 * A CSR that passed every check: its public key is the only thing issuance takes from it. The profile,
 * never the CSR, decides what the certificate says.
 *
 * @param attributeTypes OIDs of the CSR's attributes other than extensionRequest (e.g. challengePassword,
 *                       1.2.840.113549.1.9.7); the order decides whether each is refused or ignored
 */
public record ValidatedCsr(
        String deviceId, SubjectPublicKeyInfo publicKeyInfo, PublicKey publicKey, Set<String> attributeTypes) {}
