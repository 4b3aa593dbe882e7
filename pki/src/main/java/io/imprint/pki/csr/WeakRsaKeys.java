package io.imprint.pki.csr;

import java.math.BigInteger;
import java.util.Arrays;
import java.util.BitSet;
import java.util.stream.IntStream;

/**
 * Recognises RSA moduli that are broken however long they are:
 * <ul>
 * <li>a small prime factor (below 2<sup>12</sup>), as a faulty key generator produces;</li>
 * <li>the ROCA structure (CVE-2017-15361) of the RSA library in Infineon secure elements and TPMs shipped
 *     2012 to 2017. Its primes are k*M + (65537^a mod M), M the product of the first 126 primes for keys of
 *     1984 to 4096 bits, so the modulus is a power of 65537 modulo each of those primes. The test uses the 76
 *     of them where 65537 does not generate every residue; a random modulus passes it with probability
 *     about 2<sup>-167</sup>. Shorter keys are refused by {@link KeyPolicy} before this matters.</li>
 * </ul>
 */
final class WeakRsaKeys {
    private static final BigInteger SMALL_PRIMES_PRODUCT = IntStream.range(2, 1 << 12)
            .filter(WeakRsaKeys::isPrime)
            .mapToObj(BigInteger::valueOf)
            .reduce(BigInteger.ONE, BigInteger::multiply);

    /** The ROCA primes, and for each which residues are powers of 65537. */
    private static final int[] ROCA_PRIMES = IntStream.rangeClosed(3, 701)
            .filter(WeakRsaKeys::isPrime)
            .filter(p -> powersOf65537(p).cardinality() < p - 1)
            .toArray();

    private static final BitSet[] ROCA_RESIDUES =
            Arrays.stream(ROCA_PRIMES).mapToObj(WeakRsaKeys::powersOf65537).toArray(BitSet[]::new);

    private WeakRsaKeys() {}

    /** Why the modulus is weak, or null when neither defect is found. */
    static String defect(BigInteger modulus) {
        if (!modulus.gcd(SMALL_PRIMES_PRODUCT).equals(BigInteger.ONE)) {
            return "RSA modulus has a small prime factor";
        }
        if (hasRocaFingerprint(modulus)) {
            return "RSA key has the ROCA fingerprint (CVE-2017-15361): its private key can be computed; "
                    + "update the secure element's firmware and generate a new key";
        }
        return null;
    }

    static boolean hasRocaFingerprint(BigInteger modulus) {
        for (int i = 0; i < ROCA_PRIMES.length; i++) {
            if (!ROCA_RESIDUES[i].get(
                    modulus.mod(BigInteger.valueOf(ROCA_PRIMES[i])).intValue())) {
                return false;
            }
        }
        return true;
    }

    private static BitSet powersOf65537(int p) {
        BitSet powers = new BitSet(p);
        long x = 1;
        for (int k = 0; k < p; k++, x = x * 65537 % p) {
            powers.set((int) x);
        }
        return powers;
    }

    private static boolean isPrime(int n) {
        for (int d = 2; d * d <= n; d++) {
            if (n % d == 0) {
                return false;
            }
        }
        return true;
    }
}
