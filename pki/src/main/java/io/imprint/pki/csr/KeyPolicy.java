package io.imprint.pki.csr;

import io.imprint.contracts.ReasonCode;
import io.imprint.pki.RequestRejectedException;
import java.math.BigInteger;
import java.security.PublicKey;
import java.security.interfaces.RSAPublicKey;
import java.util.Map;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.edec.EdECObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.sec.SECObjectIdentifiers;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;

/**
 * Which device keys and CSR signature algorithms are allowed: EC P-256 and P-384, Ed25519, RSA of at
 * least 2048 bits with exponent 65537 or larger and odd; ECDSA, EdDSA or RSA PKCS#1 v1.5 with SHA-256 or
 * stronger. SHA-1 and MD5 are refused.
 */
public final class KeyPolicy {
    static final int MIN_RSA_BITS = 2048;

    private static final Map<ASN1ObjectIdentifier, String> SIGNATURE_ALGORITHMS = Map.of(
            X9ObjectIdentifiers.ecdsa_with_SHA256, "SHA256withECDSA",
            X9ObjectIdentifiers.ecdsa_with_SHA384, "SHA384withECDSA",
            X9ObjectIdentifiers.ecdsa_with_SHA512, "SHA512withECDSA",
            EdECObjectIdentifiers.id_Ed25519, "Ed25519",
            PKCSObjectIdentifiers.sha256WithRSAEncryption, "SHA256withRSA",
            PKCSObjectIdentifiers.sha384WithRSAEncryption, "SHA384withRSA",
            PKCSObjectIdentifiers.sha512WithRSAEncryption, "SHA512withRSA");

    private static final Map<ASN1ObjectIdentifier, String> EC_CURVES = Map.of(
            SECObjectIdentifiers.secp256r1, "P-256",
            SECObjectIdentifiers.secp384r1, "P-384");

    private KeyPolicy() {
    }

    static String signatureAlgorithm(AlgorithmIdentifier algorithm) throws RequestRejectedException {
        String name = SIGNATURE_ALGORITHMS.get(algorithm.getAlgorithm());
        if (name == null) {
            throw new RequestRejectedException(ReasonCode.CSR_ALGORITHM_NOT_ALLOWED,
                    "CSR signature algorithm " + algorithm.getAlgorithm().getId()
                            + " is not allowed; use ECDSA, Ed25519 or RSA with SHA-256 or stronger");
        }
        return name;
    }

    static void checkKey(SubjectPublicKeyInfo info, PublicKey key) throws RequestRejectedException {
        ASN1ObjectIdentifier type = info.getAlgorithm().getAlgorithm();
        if (type.equals(X9ObjectIdentifiers.id_ecPublicKey)) {
            Object curve = info.getAlgorithm().getParameters();
            if (!(curve instanceof ASN1ObjectIdentifier) || !EC_CURVES.containsKey(curve)) {
                throw new RequestRejectedException(ReasonCode.CSR_KEY_NOT_ALLOWED,
                        "EC key on curve " + curve + " is not allowed; use P-256 or P-384 (named curve)");
            }
        } else if (type.equals(EdECObjectIdentifiers.id_Ed25519)) {
            return;
        } else if (type.equals(PKCSObjectIdentifiers.rsaEncryption) && key instanceof RSAPublicKey rsa) {
            if (rsa.getModulus().bitLength() < MIN_RSA_BITS) {
                throw new RequestRejectedException(ReasonCode.CSR_KEY_NOT_ALLOWED, "RSA key of "
                        + rsa.getModulus().bitLength() + " bits is too short; at least " + MIN_RSA_BITS);
            }
            BigInteger e = rsa.getPublicExponent();
            if (!e.testBit(0) || e.compareTo(BigInteger.valueOf(65537)) < 0 || e.bitLength() > 256) {
                throw new RequestRejectedException(ReasonCode.CSR_KEY_NOT_ALLOWED,
                        "RSA public exponent must be odd, at least 65537 and at most 256 bits");
            }
        } else {
            throw new RequestRejectedException(ReasonCode.CSR_KEY_NOT_ALLOWED,
                    "public key type " + type.getId() + " is not allowed; use EC P-256/P-384, Ed25519 or RSA");
        }
    }

    /** A CSR signed with the algorithm of another key type is refused, e.g. RSA signature on an EC key. */
    static void checkAlgorithmMatchesKey(String signatureAlgorithm, SubjectPublicKeyInfo info)
            throws RequestRejectedException {
        ASN1ObjectIdentifier type = info.getAlgorithm().getAlgorithm();
        boolean matches = signatureAlgorithm.endsWith("ECDSA") ? type.equals(X9ObjectIdentifiers.id_ecPublicKey)
                : signatureAlgorithm.endsWith("RSA") ? type.equals(PKCSObjectIdentifiers.rsaEncryption)
                : type.equals(EdECObjectIdentifiers.id_Ed25519);
        if (!matches) {
            throw new RequestRejectedException(ReasonCode.CSR_ALGORITHM_NOT_ALLOWED,
                    "CSR signature algorithm " + signatureAlgorithm + " does not match its public key type");
        }
    }
}
