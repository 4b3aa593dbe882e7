package io.imprint.pki.csr;

import java.security.PublicKey;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;

/**
 * A CSR that passed every check: its public key is the only thing issuance takes from it. The profile,
 * never the CSR, decides what the certificate says.
 */
public record ValidatedCsr(String deviceId, SubjectPublicKeyInfo publicKeyInfo, PublicKey publicKey) {
}
