package io.imprint.pki.keys;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.imprint.pki.Providers;
import io.imprint.pki.TestPki;
import org.junit.jupiter.api.Test;

/** A CA key is proved against its certificate before it signs anything. */
class SigningPoolTest {
    private final TestPki pki = new TestPki();

    @Test
    void ok_aKeyThatSignsWhatItsCertificateVerifies() {
        assertDoesNotThrow(() -> new SigningPool(pki.backend, pki.issuing.alias(), 1).proveKeyMatchesCertificate());
    }

    @Test
    void fail_aKeyStoredUnderAnotherKeysCertificateIsNamedByItsAlias() {
        CaKey swapped = new CaKey(
                "issuing-ca-swapped", TestPki.ec("secp256r1").getPrivate(), Providers.BC, pki.issuing.chain());
        SigningPool pool = new SigningPool(SoftwareKeyBackend.holding(swapped), swapped.alias(), 1);
        KeyBackendException e = assertThrows(KeyBackendException.class, pool::proveKeyMatchesCertificate);
        assertTrue(e.getMessage().startsWith("key 'issuing-ca-swapped' in in-memory PKCS#12 store"), e.getMessage());
        assertTrue(e.getMessage().contains("does not match its certificate CN=Test Issuing CA"), e.getMessage());
    }
}
