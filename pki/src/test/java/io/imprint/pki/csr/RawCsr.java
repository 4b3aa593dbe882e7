package io.imprint.pki.csr;

import io.imprint.pki.Pem;
import io.imprint.pki.Providers;
import java.io.ByteArrayOutputStream;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.Signature;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;

/**
 * Hand-assembled PKCS#10 requests: the request info is given as bytes (so it may break any DER rule) and
 * signed as they are, so a defect is caught by strictness, never by a signature that fails to verify.
 */
final class RawCsr {
    /** AlgorithmIdentifier ecdsa-with-SHA256, without parameters. */
    static final byte[] ECDSA_SHA256 = hex("300a06082a8648ce3d040302");

    private RawCsr() {}

    static byte[] tlv(int tag, byte[]... parts) {
        ByteArrayOutputStream content = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            content.writeBytes(part);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(tag);
        int length = content.size();
        if (length < 0x80) {
            out.write(length);
        } else if (length < 0x100) {
            out.write(0x81);
            out.write(length);
        } else {
            out.write(0x82);
            out.write(length >> 8);
            out.write(length);
        }
        out.writeBytes(content.toByteArray());
        return out.toByteArray();
    }

    static byte[] subject(String deviceId) {
        try {
            return new X500NameBuilder(BCStyle.INSTANCE)
                    .addRDN(BCStyle.CN, deviceId)
                    .addRDN(BCStyle.SERIALNUMBER, deviceId)
                    .build()
                    .getEncoded("DER");
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** CertificationRequestInfo: version, subject, key and the [0] attributes, each given as bytes. */
    static byte[] info(byte[] version, byte[] subject, KeyPair key, byte[] attributes) {
        return tlv(0x30, version, subject, key.getPublic().getEncoded(), tlv(0xA0, attributes));
    }

    /** An extensionRequest attribute holding the given Extension encodings. */
    static byte[] extensionRequest(byte[]... extensions) {
        return tlv(0x30, hex("06092a864886f70d01090e"), tlv(0x31, tlv(0x30, extensions)));
    }

    /** The request, signed over {@code info} exactly as given, in PEM under {@code label}. */
    static String signed(byte[] info, KeyPair key, String label) {
        try {
            Signature signer = Signature.getInstance("SHA256withECDSA", Providers.BC);
            signer.initSign(key.getPrivate());
            signer.update(info);
            byte[] signature = signer.sign();
            byte[] bitString = new byte[signature.length + 1];
            System.arraycopy(signature, 0, bitString, 1, signature.length);
            return Pem.encode(label, tlv(0x30, info, ECDSA_SHA256, tlv(0x03, bitString)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    static byte[] hex(String hex) {
        return java.util.HexFormat.of().parseHex(hex);
    }
}
