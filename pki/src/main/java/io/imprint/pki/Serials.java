package io.imprint.pki;

import java.math.BigInteger;
import java.security.SecureRandom;
import java.util.Locale;

/**
 * Certificate serial numbers: 16 octets from a CSPRNG with the top two bits set to 01, so every serial is
 * positive, 126 bits of it random (the CA/Browser Forum asks for 64) and always 16 DER octets (RFC 5280
 * allows 20).
 */
public final class Serials {
    private static final SecureRandom RANDOM = new SecureRandom();

    private Serials() {}

    public static BigInteger random() {
        byte[] bytes = new byte[16];
        RANDOM.nextBytes(bytes);
        bytes[0] = (byte) ((bytes[0] & 0x3f) | 0x40);
        return new BigInteger(1, bytes);
    }

    /** Lower-case hex without leading zeros: how events and APIs spell serials. */
    public static String hex(BigInteger serial) {
        return serial.toString(16);
    }

    public static BigInteger parse(String hex) {
        String digits = hex.strip().toLowerCase(Locale.ROOT).replace(":", "");
        if (!digits.matches("[0-9a-f]{1,40}")) {
            throw new IllegalArgumentException("serial must be 1 to 40 hex digits");
        }
        return new BigInteger(digits, 16);
    }
}
