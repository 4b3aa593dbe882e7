package io.imprint.pki;

import java.math.BigInteger;
import java.security.SecureRandom;

/** Certificate serial numbers: 128 bits from a CSPRNG, positive, at most 17 DER octets (RFC 5280 allows 20). */
public final class Serials {
    private static final SecureRandom RANDOM = new SecureRandom();

    private Serials() {
    }

    public static BigInteger random() {
        byte[] bytes = new byte[16];
        BigInteger serial;
        do {
            RANDOM.nextBytes(bytes);
            serial = new BigInteger(1, bytes);
        } while (serial.signum() == 0);
        return serial;
    }

    /** Lower-case hex without leading zeros: how events and APIs spell serials. */
    public static String hex(BigInteger serial) {
        return serial.toString(16);
    }

    public static BigInteger parse(String hex) {
        String digits = hex.strip().toLowerCase().replace(":", "");
        if (!digits.matches("[0-9a-f]{1,40}")) {
            throw new IllegalArgumentException("serial must be 1 to 40 hex digits");
        }
        return new BigInteger(digits, 16);
    }
}
