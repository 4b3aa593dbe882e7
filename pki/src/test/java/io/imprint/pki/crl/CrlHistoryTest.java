package io.imprint.pki.crl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.imprint.contracts.QuarantineReason;
import io.imprint.pki.TestPki;
import io.imprint.pki.UntrustedEventException;
import java.math.BigInteger;
import java.security.cert.X509CRL;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class CrlHistoryTest {
    private static final TestPki PKI = new TestPki();
    private static final String CA = "key-id-1";
    private static final BigInteger A = BigInteger.valueOf(0xA1);
    private static final BigInteger B = BigInteger.valueOf(0xB2);

    private final CrlHistory history = new CrlHistory();

    @Test
    void okFirstCrlOfACaIsSigned() {
        assertEquals(CrlHistory.Decision.SIGN, history.check(CA, "CN=CA", 1, Set.of(A), "r-1"));
    }

    @Test
    void okLaterCrlListingEverySerialAndMore() {
        history.signed(CA, 5, Set.of(A), "r-5");
        assertEquals(CrlHistory.Decision.SIGN, history.check(CA, "CN=CA", 6, Set.of(A, B), "r-6"));
    }

    @Test
    void okTheSameRequestDeliveredAgainIsAlreadySigned() {
        history.signed(CA, 5, Set.of(A), "r-5");
        assertEquals(CrlHistory.Decision.ALREADY_SIGNED, history.check(CA, "CN=CA", 5, Set.of(A), "r-5"));
    }

    @Test
    void failReusedOrLowerCrlNumber() {
        history.signed(CA, 5, Set.of(A), "r-5");
        assertReason(
                QuarantineReason.CRL_NUMBER_NOT_INCREASING, () -> history.check(CA, "CN=CA", 5, Set.of(A, B), "r-x"));
        assertReason(QuarantineReason.CRL_NUMBER_NOT_INCREASING, () -> history.check(CA, "CN=CA", 4, Set.of(A), "r-y"));
    }

    @Test
    void failCrlThatDropsARevokedSerial() {
        history.signed(CA, 5, Set.of(A, B), "r-5");
        UntrustedEventException e = assertReason(
                QuarantineReason.CRL_DROPS_REVOKED_SERIAL,
                () -> history.check(CA, "CN=CA", 999999, Set.of(), "forged"));
        assertTrue(e.getMessage().contains("would drop 2 serial(s)"), e.getMessage());
    }

    @Test
    void learnsTheNewestCrlOfEachCaFromSignedCrlsInAnyOrder() {
        CrlFactory factory = new CrlFactory();
        X509CRL seven = factory.build(
                PKI.issuing,
                7,
                TestPki.NOW,
                TestPki.NOW.plus(Duration.ofDays(1)),
                List.of(new RevokedEntry(A, TestPki.NOW, 1), new RevokedEntry(B, TestPki.NOW, 4)));
        X509CRL three = factory.build(PKI.issuing, 3, TestPki.NOW, TestPki.NOW.plus(Duration.ofDays(1)), List.of());
        history.observe(CA, seven, "r-7");
        history.observe(CA, three, "r-3");
        assertEquals(new CrlHistory.Last(7, Set.of(A, B), "r-7"), history.last(CA));
        assertEquals(CrlHistory.Decision.SIGN, history.check("another-ca", "CN=Other", 1, Set.of(), "r-1"));
        assertReason(
                QuarantineReason.CRL_NUMBER_NOT_INCREASING, () -> history.check(CA, "CN=CA", 7, Set.of(A, B), "r-8"));
    }

    private static UntrustedEventException assertReason(
            QuarantineReason expected, org.junit.jupiter.api.function.Executable action) {
        UntrustedEventException e = assertThrows(UntrustedEventException.class, action);
        assertEquals(expected, e.reason(), e.getMessage());
        return e;
    }
}
