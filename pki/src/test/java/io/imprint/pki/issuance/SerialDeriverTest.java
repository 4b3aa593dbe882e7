package io.imprint.pki.issuance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.imprint.pki.TestPki;
import io.imprint.pki.keys.SoftwareKeyBackend;
import java.math.BigInteger;
import java.util.HashSet;
import java.util.Set;
import java.util.UUID;
import javax.security.auth.x500.X500Principal;
import org.junit.jupiter.api.Test;

class SerialDeriverTest {
    private static final TestPki PKI = new TestPki();
    private static final X500Principal ISSUER = PKI.issuing.certificate().getSubjectX500Principal();

    @Test
    void aRetriedRequestGetsTheSameSerial() {
        SerialDeriver serials = new SerialDeriver(PKI.backend, "serial-key");
        String request = UUID.randomUUID().toString();
        assertEquals(serials.serial(ISSUER, request), serials.serial(ISSUER, request));
    }

    @Test
    void serialsDifferByRequestByIssuerAndByKey() {
        SerialDeriver serials = new SerialDeriver(PKI.backend, "serial-key");
        String request = UUID.randomUUID().toString();
        BigInteger serial = serials.serial(ISSUER, request);
        assertNotEquals(serial, serials.serial(ISSUER, request + "x"));
        assertNotEquals(serial, serials.serial(new X500Principal("CN=Other Issuing CA"), request));
        SerialDeriver otherKey = new SerialDeriver(SoftwareKeyBackend.holding("serial-key"), "serial-key");
        assertNotEquals(serial, otherKey.serial(ISSUER, request), "without the key a serial cannot be predicted");
    }

    @Test
    void serialsArePositiveSixteenOctetsAndDoNotCollide() {
        SerialDeriver serials = new SerialDeriver(PKI.backend, "serial-key");
        Set<BigInteger> seen = new HashSet<>();
        for (int i = 0; i < 20_000; i++) {
            BigInteger serial = serials.serial(ISSUER, "request-" + i);
            assertTrue(serial.signum() > 0);
            assertEquals(16, serial.toByteArray().length);
            assertTrue(seen.add(serial));
        }
    }
}
