package io.imprint.pki.keys;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.imprint.pki.Providers;
import io.imprint.pki.TestPki;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.Signature;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1Sequence;
import org.junit.jupiter.api.Test;

class EcdsaSignaturesTest {

    @Test
    void rawSignaturesFromP1363BecomeDerThatVerifies() throws Exception {
        for (String curve : new String[] {"secp256r1", "secp384r1"}) {
            KeyPair key = TestPki.ec(curve);
            String algorithm = curve.equals("secp256r1") ? "SHA256" : "SHA384";
            Signature raw = Signature.getInstance(algorithm + "withPLAIN-ECDSA", Providers.BC);
            Signature verify = Signature.getInstance(algorithm + "withECDSA", Providers.BC);
            raw.initSign(key.getPrivate());
            verify.initVerify(key.getPublic());
            // Enough signatures that r or s with the top bit set, and with leading zero octets, both occur.
            for (int i = 0; i < 300; i++) {
                byte[] data = ("tbs-" + i).getBytes(StandardCharsets.UTF_8);
                raw.update(data);
                byte[] der = EcdsaSignatures.derFromRaw(raw.sign());
                verify.update(data);
                assertTrue(verify.verify(der), curve + " signature " + i);
            }
        }
    }

    @Test
    void highBitGetsAZeroOctetAndLeadingZerosAreDropped() throws Exception {
        byte[] raw = new byte[64];
        raw[0] = (byte) 0x80;
        raw[31] = 1;
        raw[63] = 5; // s = 5: thirty-one leading zero octets
        ASN1Sequence sequence = ASN1Sequence.getInstance(EcdsaSignatures.derFromRaw(raw));
        byte[] r = ASN1Integer.getInstance(sequence.getObjectAt(0)).getEncoded();
        assertEquals(2 + 33, r.length, "r keeps a 0x00 so it stays positive");
        assertEquals(
                BigInteger.valueOf(5),
                ASN1Integer.getInstance(sequence.getObjectAt(1)).getValue());
        assertArrayEquals(
                new byte[] {2, 1, 5},
                ASN1Integer.getInstance(sequence.getObjectAt(1)).getEncoded());
    }

    @Test
    void malformedRawSignaturesAreRefused() {
        assertThrows(KeyBackendException.class, () -> EcdsaSignatures.derFromRaw(new byte[63]));
        assertThrows(KeyBackendException.class, () -> EcdsaSignatures.derFromRaw(new byte[64]));
    }
}
