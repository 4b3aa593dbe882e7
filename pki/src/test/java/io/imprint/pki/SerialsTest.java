package io.imprint.pki;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.math.BigInteger;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SerialsTest {
    @Test
    void randomSerialsArePositiveSixteenOctetsAndDistinct() {
        Set<BigInteger> seen = new HashSet<>();
        int highBitsSet = 0;
        for (int i = 0; i < 10_000; i++) {
            BigInteger serial = Serials.random();
            assertEquals(1, serial.signum());
            assertEquals(16, serial.toByteArray().length, "16 DER content octets, no sign octet: " + serial);
            assertEquals(127, serial.bitLength(), "the top bits are 01");
            highBitsSet += serial.testBit(125) ? 1 : 0;
            seen.add(serial);
        }
        assertEquals(10_000, seen.size());
        // The first random bit is set about half the time: the draw is not a constant prefix plus a counter.
        assertEquals(5_000, highBitsSet, 300);
    }

    @Test
    void hexRoundTripsAndParseRefusesNonHex() {
        BigInteger serial = Serials.random();
        assertEquals(serial, Serials.parse(Serials.hex(serial)));
        assertEquals(new BigInteger("0a0b", 16), Serials.parse("0A:0B"));
        assertThrows(IllegalArgumentException.class, () -> Serials.parse("xyz"));
        assertThrows(IllegalArgumentException.class, () -> Serials.parse("1".repeat(41)));
    }
}
