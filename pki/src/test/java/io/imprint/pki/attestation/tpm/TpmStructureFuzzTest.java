package io.imprint.pki.attestation.tpm;

import static org.junit.jupiter.api.Assertions.fail;

import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * TPM structures come from stations, byte for byte: whatever they hold, parsing ends in
 * IllegalArgumentException (which intake turns into rule tpm-attest), never another exception that would be
 * taken for a technical failure and retried.
 */
class TpmStructureFuzzTest {
    @Test
    void arbitraryBytesAreRefusedAsMalformedOnly() {
        Random random = new Random(20261129);
        for (int i = 0; i < 20_000; i++) {
            byte[] bytes = new byte[random.nextInt(400)];
            random.nextBytes(bytes);
            if (i % 2 == 0 && bytes.length > 8) {
                // a plausible header (ECC or RSA, SHA-256 names) so the fuzz reaches the key and scheme fields
                bytes[0] = 0;
                bytes[1] = (byte) (i % 4 == 0 ? 0x23 : 0x01);
                bytes[2] = 0;
                bytes[3] = 0x0B;
            }
            try {
                TpmPublic.parse(bytes);
            } catch (IllegalArgumentException expected) {
                // refused, as it should be
            } catch (RuntimeException e) {
                fail("input " + i + " (" + bytes.length + " bytes) escaped as " + e, e);
            }
        }
    }
}
