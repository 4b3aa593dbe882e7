package io.imprint.pki.keys;

import java.io.IOException;
import java.math.BigInteger;
import java.util.Arrays;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.DERSequence;

/**
 * PKCS#11's CKM_ECDSA returns r||s, two big-endian integers of the curve's size. X.509 wants
 * {@code SEQUENCE { INTEGER r, INTEGER s }} in DER: minimal length, a 0x00 prefix when the top bit is set,
 * leading zero octets dropped. Getting this wrong yields signatures that verify only some of the time.
 */
public final class EcdsaSignatures {
    private EcdsaSignatures() {}

    public static byte[] derFromRaw(byte[] raw) {
        if (raw.length == 0 || raw.length % 2 != 0) {
            throw new KeyBackendException("the token returned a raw ECDSA signature of odd length " + raw.length, null);
        }
        int half = raw.length / 2;
        BigInteger r = new BigInteger(1, Arrays.copyOfRange(raw, 0, half));
        BigInteger s = new BigInteger(1, Arrays.copyOfRange(raw, half, raw.length));
        if (r.signum() == 0 || s.signum() == 0) {
            throw new KeyBackendException("the token returned an ECDSA signature with r or s zero", null);
        }
        try {
            return new DERSequence(new ASN1Integer[] {new ASN1Integer(r), new ASN1Integer(s)})
                    .getEncoded(ASN1Encoding.DER);
        } catch (IOException e) {
            throw new IllegalStateException("cannot DER-encode an ECDSA signature", e);
        }
    }
}
