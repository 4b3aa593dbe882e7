package io.imprint.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.imprint.pki.ceremony.KeyAliases;
import io.imprint.pki.keys.Pkcs11Config;
import io.imprint.pki.keys.Pkcs11KeyBackend;
import io.imprint.pki.keys.SigningPool;
import java.nio.charset.StandardCharsets;
import java.security.AuthProvider;
import java.security.Signature;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** Signing through the session pool on a real SoftHSM2 token, through SunPKCS11. */
class TokenSigningPoolTest {

    private static Pkcs11KeyBackend token() {
        TestToken.certificates();
        return new Pkcs11KeyBackend(
                new Pkcs11Config(Pkcs11Config.SOFTHSM2, 0),
                () -> TestToken.userPin().toCharArray());
    }

    @Test
    void concurrentSignersShareThePoolAndEverySignatureVerifies() throws Exception {
        SigningPool pool = new SigningPool(token(), KeyAliases.ISSUING_CA, 4);
        ExecutorService threads = Executors.newFixedThreadPool(8);
        try {
            List<Future<Boolean>> results = new ArrayList<>();
            for (int i = 0; i < 400; i++) {
                byte[] data = ("tbs-" + i).getBytes(StandardCharsets.UTF_8);
                results.add(threads.submit((Callable<Boolean>) () -> verifies(pool, data, pool.sign(data))));
            }
            for (Future<Boolean> result : results) {
                assertTrue(result.get(), "a DER signature from the token's raw r||s verifies");
            }
        } finally {
            threads.shutdownNow();
        }
    }

    @Test
    void poolLogsInAgainAfterATokenErrorAndKeepsSigning() throws Exception {
        Pkcs11KeyBackend token = token();
        SigningPool pool = new SigningPool(token, KeyAliases.ISSUING_CA, 2);
        byte[] data = "after logout".getBytes(StandardCharsets.UTF_8);
        assertTrue(verifies(pool, data, pool.sign(data)));
        long generation = token.generation();

        // Logging out invalidates every session and key handle, as a token reset or a dropped HSM link does.
        ((AuthProvider) token.provider()).logout();

        assertTrue(verifies(pool, data, pool.sign(data)), "signed again after logging back in");
        assertEquals(generation + 1, token.generation(), "exactly one reconnection");
    }

    @Test
    void wrongPinAtReconnectionFailsWithoutNamingThePin() throws Exception {
        TestToken.certificates();
        boolean[] first = {true};
        Pkcs11KeyBackend token = new Pkcs11KeyBackend(new Pkcs11Config(Pkcs11Config.SOFTHSM2, 0), () -> {
            char[] pin = first[0] ? TestToken.userPin().toCharArray() : "wrong-pin-123".toCharArray();
            first[0] = false;
            return pin;
        });
        SigningPool pool = new SigningPool(token, KeyAliases.ISSUING_CA, 1);
        ((AuthProvider) token.provider()).logout();
        RuntimeException e = assertThrows(RuntimeException.class, () -> pool.sign(new byte[] {1}));
        assertTrue(e.getMessage().contains("cannot log in"), e.getMessage());
        assertTrue(!e.getMessage().contains("wrong-pin-123") && !e.getMessage().contains(TestToken.userPin()));
    }

    private static boolean verifies(SigningPool pool, byte[] data, byte[] signature) throws Exception {
        Signature verify = Signature.getInstance(pool.key().signatureAlgorithm());
        verify.initVerify(pool.key().certificate().getPublicKey());
        verify.update(data);
        return verify.verify(signature);
    }
}
