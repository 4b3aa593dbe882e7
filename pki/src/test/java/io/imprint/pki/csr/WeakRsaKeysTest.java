package io.imprint.pki.csr;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.imprint.pki.TestPki;
import java.math.BigInteger;
import java.security.SecureRandom;
import java.security.interfaces.RSAPublicKey;
import org.junit.jupiter.api.Test;

class WeakRsaKeysTest {
    private static final SecureRandom RANDOM = new SecureRandom();

    @Test
    void soundKeyHasNoDefect() {
        RSAPublicKey key = (RSAPublicKey) TestPki.generate("RSA", 2048).getPublic();
        assertNull(WeakRsaKeys.defect(key.getModulus()));
    }

    @Test
    void findsSmallPrimeFactor() {
        BigInteger modulus = BigInteger.probablePrime(2036, RANDOM).multiply(BigInteger.valueOf(4093));
        assertNotNull(WeakRsaKeys.defect(modulus));
    }

    @Test
    void findsRocaFingerprintInKeyBuiltTheWayTheFlawedLibraryDid() {
        BigInteger m = BigInteger.ONE;
        int found = 0;
        for (int p = 2; found < 126; p++) {
            if (BigInteger.valueOf(p).isProbablePrime(50)) {
                m = m.multiply(BigInteger.valueOf(p));
                found++;
            }
        }
        BigInteger modulus = rocaPrime(m).multiply(rocaPrime(m));
        assertTrue(WeakRsaKeys.hasRocaFingerprint(modulus));
        assertNotNull(WeakRsaKeys.defect(modulus));
        assertFalse(WeakRsaKeys.hasRocaFingerprint(
                BigInteger.probablePrime(1024, RANDOM).multiply(BigInteger.probablePrime(1024, RANDOM))));
    }

    /** p = k*M + (65537^a mod M), as CVE-2017-15361's key generator made them. */
    private static BigInteger rocaPrime(BigInteger m) {
        while (true) {
            BigInteger a = new BigInteger(64, RANDOM);
            BigInteger k = new BigInteger(1024 - m.bitLength(), RANDOM);
            BigInteger p = k.multiply(m).add(BigInteger.valueOf(65537).modPow(a, m));
            if (p.isProbablePrime(40)) {
                return p;
            }
        }
    }
}
