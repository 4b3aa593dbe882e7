package io.imprint.pki.csr;

import static io.imprint.pki.csr.RawCsr.hex;
import static io.imprint.pki.csr.RawCsr.tlv;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.imprint.contracts.ReasonCode;
import io.imprint.pki.RequestRejectedException;
import io.imprint.pki.TestPki;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * One CSR per strictness rule, each validly signed over its own bytes, so only strictness can refuse it; the
 * refusal must name the defect.
 */
class CsrStrictParsingTest {
    private static final String DEVICE = "SN-0003";
    private static final String LABEL = "CERTIFICATE REQUEST";
    private static final KeyPair KEY = TestPki.ec("secp256r1");
    private static final byte[] V1 = hex("020100");
    private static final byte[] SAN = tlv(0x04, tlv(0x30, tlv(0x82, DEVICE.getBytes(StandardCharsets.US_ASCII))));
    private static final byte[] SAN_OID = hex("0603551d11");
    private static final byte[] BASIC_CONSTRAINTS_OID = hex("0603551d13");
    private static final byte[] CHALLENGE_PASSWORD = tlv(
            0x30, hex("06092a864886f70d010907"), tlv(0x31, tlv(0x13, "secret".getBytes(StandardCharsets.US_ASCII))));

    static Stream<Arguments> cases() {
        return Stream.of(
                ok("ok-no-attributes", info(new byte[0])),
                ok("ok-san-not-critical-omitted", info(RawCsr.extensionRequest(tlv(0x30, SAN_OID, SAN)))),
                ok("ok-san-critical-true", info(RawCsr.extensionRequest(tlv(0x30, SAN_OID, hex("0101ff"), SAN)))),
                Arguments.of("ok-legacy-pem-label", RawCsr.signed(info(new byte[0]), KEY, "NEW " + LABEL), null),
                fail(
                        "fail-version-1",
                        RawCsr.info(hex("020101"), RawCsr.subject(DEVICE), KEY, new byte[0]),
                        "version is 1"),
                fail(
                        "fail-version-non-minimal",
                        RawCsr.info(hex("02020000"), RawCsr.subject(DEVICE), KEY, new byte[0]),
                        "INTEGER not in the fewest octets"),
                fail(
                        "fail-explicit-critical-false",
                        info(RawCsr.extensionRequest(tlv(0x30, SAN_OID, hex("010100"), SAN))),
                        "critical FALSE"),
                fail(
                        "fail-explicit-ca-false",
                        info(RawCsr.extensionRequest(
                                tlv(0x30, BASIC_CONSTRAINTS_OID, tlv(0x04, tlv(0x30, hex("010100")))))),
                        "cA FALSE"),
                fail(
                        "fail-boolean-not-ff",
                        info(RawCsr.extensionRequest(tlv(0x30, SAN_OID, hex("010101"), SAN))),
                        "BOOLEAN that is not one octet 00 or FF"),
                fail(
                        "fail-non-minimal-length",
                        concat(hex("308200"), lengthOf(info(new byte[0])), body(info(new byte[0]))),
                        "not minimal"),
                fail("fail-indefinite-length", indefinite(info(new byte[0])), "indefinite length"),
                fail(
                        "fail-unsorted-set",
                        info(concat(RawCsr.extensionRequest(tlv(0x30, SAN_OID, SAN)), CHALLENGE_PASSWORD)),
                        "not in ascending order"),
                fail(
                        "fail-extension-value-not-der",
                        info(RawCsr.extensionRequest(tlv(0x30, SAN_OID, tlv(0x04, hex("3081")), new byte[0]))),
                        "extension 2.5.29.17"),
                fail(
                        "fail-two-extension-requests",
                        info(concat(
                                RawCsr.extensionRequest(tlv(0x30, SAN_OID, SAN)),
                                RawCsr.extensionRequest(tlv(0x30, SAN_OID, SAN)))),
                        "extensionRequest more than once"),
                fail(
                        "fail-oid-leading-zero-arc",
                        info(RawCsr.extensionRequest(tlv(0x30, hex("0604551d8011"), SAN))),
                        "OBJECT IDENTIFIER arc with a leading zero"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void refusesEveryNonCanonicalRequestNamingTheDefect(String name, String pem, String defect) throws Exception {
        if (defect == null) {
            assertEquals(DEVICE, new CsrValidator().validate(pem, DEVICE).deviceId());
            return;
        }
        RequestRejectedException e =
                assertThrows(RequestRejectedException.class, () -> new CsrValidator().validate(pem, DEVICE));
        assertEquals(ReasonCode.CSR_MALFORMED, e.reason(), e.getMessage());
        assertTrue(e.getMessage().contains(defect), e.getMessage());
    }

    @org.junit.jupiter.api.Test
    void reportsOtherAttributesForTheOrderToDecide() throws Exception {
        byte[] attributes = concat(CHALLENGE_PASSWORD, RawCsr.extensionRequest(tlv(0x30, SAN_OID, SAN)));
        ValidatedCsr csr = new CsrValidator().validate(RawCsr.signed(info(attributes), KEY, LABEL), DEVICE);
        assertEquals(Set.of("1.2.840.113549.1.9.7"), csr.attributeTypes());
    }

    private static byte[] info(byte[] attributes) {
        return RawCsr.info(V1, RawCsr.subject(DEVICE), KEY, attributes);
    }

    private static Arguments ok(String name, byte[] info) {
        return Arguments.of(name, RawCsr.signed(info, KEY, LABEL), null);
    }

    private static Arguments fail(String name, byte[] info, String defect) {
        return Arguments.of(name, RawCsr.signed(info, KEY, LABEL), defect);
    }

    private static byte[] body(byte[] tlv) {
        int lengthOctets = (tlv[1] & 0x80) == 0 ? 1 : 1 + (tlv[1] & 0x7F);
        return java.util.Arrays.copyOfRange(tlv, 1 + lengthOctets, tlv.length);
    }

    private static byte[] lengthOf(byte[] tlv) {
        return new byte[] {(byte) body(tlv).length};
    }

    private static byte[] indefinite(byte[] tlv) {
        return concat(hex("3080"), body(tlv), hex("0000"));
    }

    private static byte[] concat(byte[]... parts) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }
}
