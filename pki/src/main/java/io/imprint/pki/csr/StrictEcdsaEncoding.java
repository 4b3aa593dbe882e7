package io.imprint.pki.csr;

import java.math.BigInteger;
import java.util.Arrays;

/**
 * The only ECDSA signature encodings we let a provider see: the unique DER encoding of
 * {@code SEQUENCE { INTEGER r, INTEGER s }}, or raw r||s of exactly twice the order's length, with r and s in
 * [1, n-1] either way. Checked here so that verdicts do not depend on how lenient the provider is (BER lengths,
 * padded or negative integers, trailing bytes, r or s out of range are all refused before verification).
 */
final class StrictEcdsaEncoding {
    private static final int SEQUENCE = 0x30;
    private static final int INTEGER = 0x02;

    private StrictEcdsaEncoding() {}

    /** {@code der} itself if it is the unique DER encoding of an in-range (r, s); null otherwise. */
    static byte[] checkedDer(byte[] der, BigInteger order) {
        if (der.length < 8 || (der[0] & 0xff) != SEQUENCE) {
            return null;
        }
        int length = der[1] & 0xff;
        int at = 2;
        if (length == 0x81) {
            length = der[2] & 0xff;
            at = 3;
            if (length < 0x80) {
                return null; // long form where the short form fits is not DER
            }
        } else if (length > 0x7f) {
            return null;
        }
        if (at + length != der.length) {
            return null;
        }
        int sAt = integerEnd(der, at, order);
        if (sAt < 0 || integerEnd(der, sAt, order) != der.length) {
            return null;
        }
        return der;
    }

    /** The DER encoding of raw r||s if it is exactly twice the order's length and in range; null otherwise. */
    static byte[] derFromPlain(byte[] plain, BigInteger order) {
        int half = (order.bitLength() + 7) / 8;
        if (plain.length != 2 * half) {
            return null;
        }
        BigInteger r = new BigInteger(1, Arrays.copyOfRange(plain, 0, half));
        BigInteger s = new BigInteger(1, Arrays.copyOfRange(plain, half, plain.length));
        if (!inRange(r, order) || !inRange(s, order)) {
            return null;
        }
        byte[] rBytes = r.toByteArray();
        byte[] sBytes = s.toByteArray();
        int content = 2 + rBytes.length + 2 + sBytes.length;
        byte[] der = new byte[(content > 0x7f ? 3 : 2) + content];
        int at = 0;
        der[at++] = SEQUENCE;
        if (content > 0x7f) {
            der[at++] = (byte) 0x81;
        }
        der[at++] = (byte) content;
        at = putInteger(der, at, rBytes);
        putInteger(der, at, sBytes);
        return der;
    }

    /** Where the DER INTEGER at {@code at} ends, if it is minimal, positive and in [1, n-1]; -1 otherwise. */
    private static int integerEnd(byte[] der, int at, BigInteger order) {
        if (at + 2 > der.length || (der[at] & 0xff) != INTEGER) {
            return -1;
        }
        int length = der[at + 1] & 0xff;
        int start = at + 2;
        int end = start + length;
        if (length == 0 || length > 0x7f || end > der.length) {
            return -1;
        }
        if ((der[start] & 0x80) != 0) {
            return -1; // negative
        }
        if (der[start] == 0 && length > 1 && (der[start + 1] & 0x80) == 0) {
            return -1; // a leading zero octet that is not needed
        }
        BigInteger value = new BigInteger(1, Arrays.copyOfRange(der, start, end));
        return inRange(value, order) ? end : -1;
    }

    private static boolean inRange(BigInteger value, BigInteger order) {
        return value.signum() > 0 && value.compareTo(order) < 0;
    }

    private static int putInteger(byte[] der, int at, byte[] value) {
        der[at] = INTEGER;
        der[at + 1] = (byte) value.length;
        System.arraycopy(value, 0, der, at + 2, value.length);
        return at + 2 + value.length;
    }
}
