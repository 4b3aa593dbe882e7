package io.imprint.pki.crl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
    void holdsTheCrlsItSignedOrSawOfEachKindUpToTheirNumbers() {
        assertFalse(history.holds(CA, 1, false));
        history.signed(CA, 5, Set.of(A), "r-5");
        assertTrue(history.holds(CA, 5, false));
        assertTrue(history.holds(CA, 4, false));
        assertFalse(history.holds(CA, 6, false));
        assertFalse(history.holds(CA, 5, true), "no delta yet");
        history.signedDelta(CA, 6, 5, Set.of(A, B), "r-6");
        assertTrue(history.holds(CA, 6, true));
        assertFalse(history.holds(CA, 6, false));
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

    @Test
    void okDeltaOverAFullCrlTheSignerReachedAndScopesAreKeptApart() {
        String shard = CrlHistory.scope(CA, "http://ca.example/crl/k/3");
        history.signed(shard, 10, Set.of(A), "r-10");
        assertEquals(CrlHistory.Decision.SIGN, history.checkDelta(shard, "CN=CA", 11, 10, Set.of(B), "d-11"));
        history.signedDelta(shard, 11, 10, Set.of(B), "d-11");
        assertEquals(CrlHistory.Decision.ALREADY_SIGNED, history.checkDelta(shard, "CN=CA", 11, 10, Set.of(B), "d-11"));
        assertReason(
                QuarantineReason.CRL_DROPS_REVOKED_SERIAL,
                () -> history.checkDelta(shard, "CN=CA", 12, 10, Set.of(), "d-12"));
        assertReason(
                QuarantineReason.CRL_NUMBER_NOT_INCREASING,
                () -> history.check(shard, "CN=CA", 11, Set.of(A, B), "r-11"));
        assertEquals(
                CrlHistory.Decision.SIGN,
                history.check(CrlHistory.scope(CA, "http://ca.example/crl/k/4"), "CN=CA", 5, Set.of(), "r-5"),
                "another shard has its own serials");
    }

    @Test
    void failDeltaOverABaseTheSignerNeverReached() {
        String shard = CrlHistory.scope(CA, "http://ca.example/crl/k/3");
        assertReason(
                QuarantineReason.CRL_DELTA_BASE_UNKNOWN,
                () -> history.checkDelta(shard, "CN=CA", 2, 1, Set.of(A), "d-2"));
        history.signed(shard, 10, Set.of(A), "r-10");
        assertReason(
                QuarantineReason.CRL_DELTA_BASE_UNKNOWN,
                () -> history.checkDelta(shard, "CN=CA", 12, 11, Set.of(A), "d-12"));
    }

    @Test
    void learnsScopeAndKindOfObservedCrlsFromTheirExtensions() {
        CrlFactory factory = new CrlFactory();
        String point = "http://ca.example/crl/k/3";
        history.observe(
                CA,
                factory.build(
                        PKI.issuing,
                        20,
                        TestPki.NOW,
                        TestPki.NOW.plus(Duration.ofDays(1)),
                        List.of(new RevokedEntry(A, TestPki.NOW, 1)),
                        CrlScope.full(point, null)),
                "r-20");
        history.observe(
                CA,
                factory.build(
                        PKI.issuing,
                        21,
                        TestPki.NOW,
                        TestPki.NOW.plus(Duration.ofDays(1)),
                        List.of(new RevokedEntry(B, TestPki.NOW, 1)),
                        CrlScope.delta(point, 20)),
                "d-21");
        String shard = CrlHistory.scope(CA, point);
        assertEquals(new CrlHistory.Last(20, Set.of(A), "r-20"), history.last(shard));
        assertEquals(new CrlHistory.Last(21, Set.of(B), "d-21", 20), history.lastDelta(shard));
        assertEquals(null, history.last(CA), "the whole-CA scope learnt nothing");
    }

    private static UntrustedEventException assertReason(
            QuarantineReason expected, org.junit.jupiter.api.function.Executable action) {
        UntrustedEventException e = assertThrows(UntrustedEventException.class, action);
        assertEquals(expected, e.reason(), e.getMessage());
        return e;
    }
}
