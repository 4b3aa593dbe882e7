package io.imprint.pki.attestation.tpm;

import java.math.BigInteger;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.DERNull;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.RSAPublicKey;
import org.bouncycastle.asn1.sec.SECObjectIdentifiers;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;

/**
 * A TPM 2.0 object's public area (TPMT_PUBLIC, TPM 2.0 Library part 2, 12.2.4) for the ECC and RSA keys
 * attestation involves: its attributes, its key as a SubjectPublicKeyInfo, and its name, which is what the
 * TPM certifies (the name algorithm, then the digest of the area).
 *
 * @param area       the TPMT_PUBLIC octets, as hashed for the name
 * @param nameAlg    TPM_ALG_ID of the name digest; only SHA-256 (0x000B) is taken
 * @param attributes TPMA_OBJECT bits
 * @param key        the public key
 */
// TPM octets carried from parser to verifier; never compared, hashed or kept in collections as values.
@SuppressWarnings("ArrayRecordComponent")
public record TpmPublic(byte[] area, int nameAlg, long attributes, SubjectPublicKeyInfo key) {
    public static final long FIXED_TPM = 1L << 1;
    public static final long FIXED_PARENT = 1L << 4;
    public static final long SENSITIVE_DATA_ORIGIN = 1L << 5;
    public static final long RESTRICTED = 1L << 16;
    public static final long DECRYPT = 1L << 17;
    public static final long SIGN = 1L << 18;

    static final int ALG_RSA = 0x0001;
    static final int ALG_SHA256 = 0x000B;
    static final int ALG_NULL = 0x0010;
    static final int ALG_ECC = 0x0023;
    private static final int CURVE_P256 = 0x0003;
    private static final int CURVE_P384 = 0x0004;

    /**
     * Parses a TPM public area.
     *
     * @param tpm2b a TPM2B_PUBLIC (what tpm2_create writes) or a bare TPMT_PUBLIC
     */
    public static TpmPublic parse(byte[] tpm2b) {
        byte[] area = tpm2b;
        if (tpm2b.length > 2 && ((tpm2b[0] & 0xFF) << 8 | (tpm2b[1] & 0xFF)) == tpm2b.length - 2) {
            area = Arrays.copyOfRange(tpm2b, 2, tpm2b.length);
        }
        TpmReader in = new TpmReader(area);
        int type = in.u16();
        int nameAlg = in.u16();
        long attributes = in.u32();
        in.sized(); // authPolicy
        skipSymmetric(in);
        skipScheme(in);
        SubjectPublicKeyInfo key;
        if (type == ALG_ECC) {
            int curve = in.u16();
            skipScheme(in); // kdf
            byte[] x = in.sized();
            byte[] y = in.sized();
            key = ecKey(curve, x, y);
        } else if (type == ALG_RSA) {
            int bits = in.u16();
            long exponent = in.u32();
            byte[] modulus = in.sized();
            if (modulus.length * 8 != bits) {
                throw new IllegalArgumentException("RSA modulus of " + modulus.length * 8 + " bits, declared " + bits);
            }
            key = rsaKey(modulus, exponent == 0 ? 65537 : exponent);
        } else {
            throw new IllegalArgumentException("TPM key type 0x" + Integer.toHexString(type) + " is not ECC or RSA");
        }
        in.requireEnd("public area");
        if (nameAlg != ALG_SHA256) {
            throw new IllegalArgumentException("TPM name algorithm must be SHA-256");
        }
        return new TpmPublic(area, nameAlg, attributes, key);
    }

    /** The TPM name: the name algorithm's id, then SHA-256 of the public area. */
    public byte[] name() {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(area);
            byte[] name = new byte[2 + digest.length];
            name[0] = (byte) (nameAlg >> 8);
            name[1] = (byte) nameAlg;
            System.arraycopy(digest, 0, name, 2, digest.length);
            return name;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public boolean has(long attribute) {
        return (attributes & attribute) == attribute;
    }

    private static void skipSymmetric(TpmReader in) {
        if (in.u16() != ALG_NULL) {
            in.u16(); // key bits
            in.u16(); // mode
        }
    }

    private static void skipScheme(TpmReader in) {
        if (in.u16() != ALG_NULL) {
            in.u16(); // hash
        }
    }

    private static SubjectPublicKeyInfo ecKey(int curve, byte[] x, byte[] y) {
        ASN1ObjectIdentifier oid = curve == CURVE_P256
                ? SECObjectIdentifiers.secp256r1
                : curve == CURVE_P384 ? SECObjectIdentifiers.secp384r1 : null;
        int size = curve == CURVE_P256 ? 32 : 48;
        if (oid == null || x.length > size || y.length > size) {
            throw new IllegalArgumentException(
                    "TPM ECC key on curve 0x" + Integer.toHexString(curve) + " is not P-256 or P-384");
        }
        byte[] point = new byte[1 + 2 * size];
        point[0] = 0x04;
        System.arraycopy(x, 0, point, 1 + size - x.length, x.length);
        System.arraycopy(y, 0, point, 1 + 2 * size - y.length, y.length);
        return new SubjectPublicKeyInfo(new AlgorithmIdentifier(X9ObjectIdentifiers.id_ecPublicKey, oid), point);
    }

    private static SubjectPublicKeyInfo rsaKey(byte[] modulus, long exponent) {
        try {
            return new SubjectPublicKeyInfo(
                    new AlgorithmIdentifier(PKCSObjectIdentifiers.rsaEncryption, DERNull.INSTANCE),
                    new RSAPublicKey(new BigInteger(1, modulus), BigInteger.valueOf(exponent)));
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
