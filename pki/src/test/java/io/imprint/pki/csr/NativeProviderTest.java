package io.imprint.pki.csr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.imprint.pki.Pem;
import io.imprint.pki.Providers;
import io.imprint.pki.VerifyingProvider;
import java.math.BigInteger;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.asn1.DERSequence;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.junit.jupiter.api.Test;

/**
 * The native provider loads where it should, the setting chooses as documented, and over a corpus of CSR
 * signatures and their malformed variants (BER, padded, negative, out of range, truncated, trailing bytes,
 * high s) it gives exactly BouncyCastle's verdicts.
 */
class NativeProviderTest {
    private static final VerifyingProvider REFERENCE = VerifyingProvider.bouncyCastle("reference");

    /** The native provider; on Linux x86_64, where the build ships it, failing to load it fails the test. */
    static VerifyingProvider loadedNative() {
        VerifyingProvider candidate = VerifyingProvider.nativeIfAvailable();
        if (isLinuxX86()) {
            assertTrue(
                    candidate.isNative(), "the native provider must load on Linux x86_64: " + candidate.description());
        }
        return candidate;
    }

    private static boolean isLinuxX86() {
        String os = System.getProperty("os.name").toLowerCase(Locale.ROOT);
        String arch = System.getProperty("os.arch");
        return os.contains("linux") && (arch.equals("amd64") || arch.equals("x86_64"));
    }

    @Test
    void theSettingChoosesTheProvider() {
        assertFalse(VerifyingProvider.choose("bc").isNative());
        assertTrue(VerifyingProvider.choose("bc").description().startsWith("BouncyCastle"));
        assertEquals(loadedNative().isNative(), VerifyingProvider.choose(null).isNative());
        assertEquals(
                loadedNative().isNative(), VerifyingProvider.choose(" AUTO ").isNative());
        if (loadedNative().isNative()) {
            assertTrue(VerifyingProvider.choose("native").description().contains("AWS-LC"));
        } else {
            assertThrows(IllegalStateException.class, () -> VerifyingProvider.choose("native"));
        }
        IllegalStateException wrong = assertThrows(IllegalStateException.class, () -> VerifyingProvider.choose("sun"));
        assertTrue(wrong.getMessage().contains("auto, native or bc"), wrong.getMessage());
    }

    @Test
    void givesBouncyCastlesVerdictOnEveryCsrSignatureAndEveryMalformedVariant() throws Exception {
        VerifyingProvider nativeProvider = loadedNative();
        Map<String, Boolean> expected = new LinkedHashMap<>();
        List<String> differing = new ArrayList<>();
        int judged = 0;
        for (String[] kind : new String[][] {
            {"secp256r1", "SHA256withECDSA"}, {"secp384r1", "SHA384withECDSA"}, {"secp256r1", "SHA256withPLAIN-ECDSA"}
        }) {
            for (int i = 0; i < 25; i++) {
                KeyPair key = key(kind[0]);
                PKCS10CertificationRequest csr = new PKCS10CertificationRequest(
                        Pem.decodeAll(CsrBuilder.devicePem("DEV-" + i, key, kind[1]), "CERTIFICATE REQUEST")
                                .get(0));
                byte[] info =
                        csr.toASN1Structure().getCertificationRequestInfo().getEncoded("DER");
                BigInteger order = ((ECPublicKey) key.getPublic()).getParams().getOrder();
                Map<String, byte[]> variants = kind[1].contains("PLAIN")
                        ? plainVariants(csr.getSignature(), order)
                        : derVariants(csr.getSignature(), order);
                for (Map.Entry<String, byte[]> variant : variants.entrySet()) {
                    boolean reference =
                            SignatureVerifier.verify(kind[1], key.getPublic(), info, variant.getValue(), REFERENCE);
                    boolean other = SignatureVerifier.verify(
                            kind[1], key.getPublic(), info, variant.getValue(), nativeProvider);
                    if (reference != other) {
                        differing.add(kind[1] + " " + variant.getKey());
                    }
                    Boolean before = expected.put(kind[1] + " " + variant.getKey(), reference);
                    assertTrue(
                            before == null || before == reference, kind[1] + " " + variant.getKey() + " is unstable");
                    judged++;
                }
            }
        }
        assertEquals(List.of(), differing, "verdicts where " + nativeProvider.description() + " differs");
        assertTrue(judged > 500, judged + " signatures judged");
        expected.forEach((variant, verdict) ->
                assertEquals(variant.endsWith(" as signed") || variant.endsWith(" high s"), verdict, variant));
    }

    private static Map<String, byte[]> derVariants(byte[] der, BigInteger order) {
        ASN1Sequence sequence = ASN1Sequence.getInstance(der);
        BigInteger r = ASN1Integer.getInstance(sequence.getObjectAt(0)).getPositiveValue();
        BigInteger s = ASN1Integer.getInstance(sequence.getObjectAt(1)).getPositiveValue();
        Map<String, byte[]> variants = new LinkedHashMap<>();
        variants.put("as signed", der);
        variants.put("high s", sequence(r.toByteArray(), order.subtract(s).toByteArray()));
        variants.put("s plus n", sequence(r.toByteArray(), s.add(order).toByteArray()));
        variants.put("r zero", sequence(new byte[] {0}, s.toByteArray()));
        variants.put("s is n", sequence(r.toByteArray(), order.toByteArray()));
        variants.put("r padded", sequence(concat(new byte[] {0, 0}, r.toByteArray()), s.toByteArray()));
        variants.put("r negative", sequence(r.negate().toByteArray(), s.toByteArray()));
        variants.put("trailing byte", concat(der, new byte[] {0}));
        variants.put("truncated", Arrays.copyOf(der, der.length - 1));
        variants.put("long-form length", longForm(der));
        variants.put("one bit flipped", flip(der, der.length - 3));
        variants.put("empty", new byte[0]);
        return variants;
    }

    private static Map<String, byte[]> plainVariants(byte[] plain, BigInteger order) {
        int half = plain.length / 2;
        BigInteger s = new BigInteger(1, Arrays.copyOfRange(plain, half, plain.length));
        Map<String, byte[]> variants = new LinkedHashMap<>();
        variants.put("as signed", plain);
        byte[] highS = plain.clone();
        byte[] negated = fixed(order.subtract(s), half);
        System.arraycopy(negated, 0, highS, half, half);
        variants.put("high s", highS);
        variants.put("one byte short", Arrays.copyOf(plain, plain.length - 1));
        variants.put("one byte long", concat(new byte[] {0}, plain));
        byte[] zeroR = plain.clone();
        Arrays.fill(zeroR, 0, half, (byte) 0);
        variants.put("r zero", zeroR);
        byte[] sIsN = plain.clone();
        System.arraycopy(fixed(order, half), 0, sIsN, half, half);
        variants.put("s is n", sIsN);
        variants.put(
                "DER instead of raw",
                sequence(new BigInteger(1, Arrays.copyOf(plain, half)).toByteArray(), s.toByteArray()));
        variants.put("one bit flipped", flip(plain, 3));
        return variants;
    }

    private static byte[] sequence(byte[] r, byte[] s) {
        // hand-assembled, so padded or negative integers stay as given
        byte[] content = concat(RawCsr.tlv(0x02, r), RawCsr.tlv(0x02, s));
        return RawCsr.tlv(0x30, content);
    }

    private static byte[] longForm(byte[] der) {
        byte[] content = Arrays.copyOfRange(der, 2, der.length);
        return concat(new byte[] {0x30, (byte) 0x81, (byte) content.length}, content);
    }

    private static byte[] flip(byte[] bytes, int at) {
        byte[] copy = bytes.clone();
        copy[at] ^= 0x01;
        return copy;
    }

    private static byte[] fixed(BigInteger value, int length) {
        byte[] bytes = value.toByteArray();
        byte[] out = new byte[length];
        int n = Math.min(bytes.length, length);
        System.arraycopy(bytes, bytes.length - n, out, length - n, n);
        return out;
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    private static KeyPair key(String curve) throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC", Providers.BC);
        generator.initialize(new ECGenParameterSpec(curve));
        return generator.generateKeyPair();
    }

    @Test
    void plainSignaturesAreReencodedAsBouncyCastleWouldEncodeThem() {
        BigInteger order =
                ((ECPublicKey) keyUnchecked().getPublic()).getParams().getOrder();
        for (BigInteger[] rs : new BigInteger[][] {
            {BigInteger.ONE, order.subtract(BigInteger.ONE)}, {BigInteger.valueOf(0x80), BigInteger.valueOf(0x7f)}
        }) {
            byte[] plain = concat(fixed(rs[0], 32), fixed(rs[1], 32));
            byte[] der = StrictEcdsaEncoding.derFromPlain(plain, order);
            assertNotNull(der);
            assertTrue(Arrays.equals(sequenceOf(rs[0], rs[1]), der), "DER of " + rs[0] + ", " + rs[1]);
            assertTrue(der == StrictEcdsaEncoding.checkedDer(der, order), "our own DER passes the strict check");
        }
    }

    private static byte[] sequenceOf(BigInteger r, BigInteger s) {
        try {
            return new DERSequence(new ASN1Integer[] {new ASN1Integer(r), new ASN1Integer(s)}).getEncoded("DER");
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static KeyPair keyUnchecked() {
        try {
            return key("secp256r1");
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
