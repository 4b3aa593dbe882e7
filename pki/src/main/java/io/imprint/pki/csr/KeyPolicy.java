package io.imprint.pki.csr;

import io.imprint.contracts.ReasonCode;
import io.imprint.pki.Providers;
import io.imprint.pki.RequestRejectedException;
import java.io.IOException;
import java.math.BigInteger;
import java.security.PublicKey;
import java.security.interfaces.RSAPublicKey;
import java.util.Map;
import java.util.Objects;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.bsi.BSIObjectIdentifiers;
import org.bouncycastle.asn1.edec.EdECObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.sec.SECObjectIdentifiers;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.jce.provider.BouncyCastleProvider;

/**
 * Which device keys and CSR signature algorithms are allowed: EC P-256 and P-384 (points on the curve),
 * Ed25519, RSA of at least 2048 bits with an odd exponent of 65537 or larger and without the defects of
 * {@link WeakRsaKeys}; ECDSA (DER or raw r||s), EdDSA or RSA PKCS#1 v1.5 with SHA-256 or stronger. SHA-1
 * and MD5 are refused.
 */
public final class KeyPolicy {
    static final int MIN_RSA_BITS = 2048;

    private static final Map<ASN1ObjectIdentifier, String> SIGNATURE_ALGORITHMS = Map.of(
            X9ObjectIdentifiers.ecdsa_with_SHA256, "SHA256withECDSA",
            X9ObjectIdentifiers.ecdsa_with_SHA384, "SHA384withECDSA",
            X9ObjectIdentifiers.ecdsa_with_SHA512, "SHA512withECDSA",
            // Raw r||s, as secure elements such as the ATECC608A sign (BSI TR-03111).
            BSIObjectIdentifiers.ecdsa_plain_SHA256, "SHA256withPLAIN-ECDSA",
            BSIObjectIdentifiers.ecdsa_plain_SHA384, "SHA384withPLAIN-ECDSA",
            BSIObjectIdentifiers.ecdsa_plain_SHA512, "SHA512withPLAIN-ECDSA",
            EdECObjectIdentifiers.id_Ed25519, "Ed25519",
            PKCSObjectIdentifiers.sha256WithRSAEncryption, "SHA256withRSA",
            PKCSObjectIdentifiers.sha384WithRSAEncryption, "SHA384withRSA",
            PKCSObjectIdentifiers.sha512WithRSAEncryption, "SHA512withRSA");

    private static final Map<ASN1ObjectIdentifier, String> EC_CURVES = Map.of(
            SECObjectIdentifiers.secp256r1, "P-256",
            SECObjectIdentifiers.secp384r1, "P-384");

    private KeyPolicy() {}

    /** The JCA name of an allowed signature algorithm; an algorithm with parameters is refused. */
    public static String signatureAlgorithm(AlgorithmIdentifier algorithm) throws RequestRejectedException {
        String name = SIGNATURE_ALGORITHMS.get(algorithm.getAlgorithm());
        if (name != null && algorithm.getParameters() != null && !name.endsWith("RSA")) {
            throw new RequestRejectedException(
                    ReasonCode.CSR_ALGORITHM_NOT_ALLOWED, "signature algorithm " + name + " must not carry parameters");
        }
        if (name == null) {
            throw new RequestRejectedException(
                    ReasonCode.CSR_ALGORITHM_NOT_ALLOWED,
                    "CSR signature algorithm " + algorithm.getAlgorithm().getId()
                            + " is not allowed; use ECDSA, Ed25519 or RSA with SHA-256 or stronger");
        }
        return name;
    }

    /** The key of {@code info}, if it is well-formed and allowed. */
    public static PublicKey checkedKey(SubjectPublicKeyInfo info) throws RequestRejectedException {
        Objects.requireNonNull(Providers.BC); // registers BouncyCastle's key converters
        PublicKey key;
        try {
            key = BouncyCastleProvider.getPublicKey(info);
            if (key == null) {
                throw new IOException("unknown key type");
            }
        } catch (IOException | RuntimeException e) {
            // BouncyCastle refuses points not on the curve here, which defeats invalid-curve attacks.
            throw new RequestRejectedException(
                    ReasonCode.CSR_KEY_NOT_ALLOWED, "public key is invalid or of a type that is not allowed");
        }
        checkKey(info, key);
        return key;
    }

    static void checkKey(SubjectPublicKeyInfo info, PublicKey key) throws RequestRejectedException {
        ASN1ObjectIdentifier type = info.getAlgorithm().getAlgorithm();
        if (type.equals(X9ObjectIdentifiers.id_ecPublicKey)) {
            Object curve = info.getAlgorithm().getParameters();
            if (!(curve instanceof ASN1ObjectIdentifier) || !EC_CURVES.containsKey(curve)) {
                throw new RequestRejectedException(
                        ReasonCode.CSR_KEY_NOT_ALLOWED,
                        "EC key on curve " + curve + " is not allowed; use P-256 or P-384 (named curve)");
            }
        } else if (type.equals(EdECObjectIdentifiers.id_Ed25519)) {
            return;
        } else if (type.equals(PKCSObjectIdentifiers.rsaEncryption) && key instanceof RSAPublicKey rsa) {
            if (rsa.getModulus().bitLength() < MIN_RSA_BITS) {
                throw new RequestRejectedException(
                        ReasonCode.CSR_KEY_NOT_ALLOWED,
                        "RSA key of " + rsa.getModulus().bitLength() + " bits is too short; at least " + MIN_RSA_BITS);
            }
            BigInteger e = rsa.getPublicExponent();
            if (!e.testBit(0) || e.compareTo(BigInteger.valueOf(65537)) < 0 || e.bitLength() > 256) {
                throw new RequestRejectedException(
                        ReasonCode.CSR_KEY_NOT_ALLOWED,
                        "RSA public exponent must be odd, at least 65537 and at most 256 bits");
            }
            String defect = WeakRsaKeys.defect(rsa.getModulus());
            if (defect != null) {
                throw new RequestRejectedException(ReasonCode.CSR_KEY_NOT_ALLOWED, defect);
            }
        } else {
            throw new RequestRejectedException(
                    ReasonCode.CSR_KEY_NOT_ALLOWED,
                    "public key type " + type.getId() + " is not allowed; use EC P-256/P-384, Ed25519 or RSA");
        }
    }

    /** A CSR signed with the algorithm of another key type is refused, e.g. RSA signature on an EC key. */
    static void checkAlgorithmMatchesKey(String signatureAlgorithm, SubjectPublicKeyInfo info)
            throws RequestRejectedException {
        ASN1ObjectIdentifier type = info.getAlgorithm().getAlgorithm();
        boolean matches = signatureAlgorithm.endsWith("ECDSA")
                ? type.equals(X9ObjectIdentifiers.id_ecPublicKey)
                : signatureAlgorithm.endsWith("RSA")
                        ? type.equals(PKCSObjectIdentifiers.rsaEncryption)
                        : type.equals(EdECObjectIdentifiers.id_Ed25519);
        if (!matches) {
            throw new RequestRejectedException(
                    ReasonCode.CSR_ALGORITHM_NOT_ALLOWED,
                    "CSR signature algorithm " + signatureAlgorithm + " does not match its public key type");
        }
    }
}
