package io.imprint.pki.attestation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.imprint.contracts.ReasonCode;
import io.imprint.pki.RequestRejectedException;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Matter's PAA, PAI and DAC, made by openssl as the Matter SDK's test certificates are (vendor id FFF1 is a
 * test vendor): each case breaks or keeps one Matter rule on a chain that validates.
 */
class MatterAttestationTest {
    /** Matter's vendor-id and product-id subject attributes, by the names Openssl's config gives them. */
    private static final String VID = "matterVID";

    private static final String PID = "matterPID";
    private static final String DAC = "basicConstraints=critical,CA:FALSE";
    private static final String DAC_USAGE = "keyUsage=critical,digitalSignature";
    private static final String PAI = "basicConstraints=critical,CA:TRUE,pathlen:0";
    private static final String CA_USAGE = "keyUsage=critical,keyCertSign,cRLSign";
    private static final AttestationProfile MATTER =
            new AttestationProfile(Set.of("digitalSignature"), true, AttestationProfile.Format.MATTER);

    @TempDir
    static Path dir;

    private static Openssl openssl;
    private static List<X509Certificate> paaTrustList;

    @BeforeAll
    static void trustList() {
        openssl = new Openssl(dir);
        paaTrustList = List.of(
                openssl.root("paa", "/CN=Matter Test PAA"),
                openssl.root("paa-fff3", "/CN=Matter Test PAA FFF3/" + VID + "=FFF3"));
    }

    /** name, PAA, PAI subject and extensions, DAC subject, curve and extensions, the rule broken (null: ok). */
    static Stream<Arguments> chains() {
        return Stream.of(
                chain(
                        "ok-attribute-encoding",
                        "paa",
                        pai("/CN=PAI/" + VID + "=FFF1"),
                        "/CN=DAC/" + VID + "=FFF1/" + PID + "=8000",
                        null),
                chain(
                        "ok-fallback-common-name-encoding",
                        "paa",
                        pai("/CN=Matter PAI Mvid:FFF1"),
                        "/CN=Matter DAC Mvid:FFF1 Mpid:8000",
                        null),
                chain(
                        "ok-pai-scoped-to-the-product",
                        "paa",
                        pai("/CN=PAI/" + VID + "=FFF1/" + PID + "=8000"),
                        "/CN=DAC/" + VID + "=FFF1/" + PID + "=8000",
                        null),
                chain(
                        "fail-dac-vendor-id-differs-from-pai",
                        "paa",
                        pai("/CN=PAI/" + VID + "=FFF1"),
                        "/CN=DAC/" + VID + "=FFF2/" + PID + "=8000",
                        "matter-vid-match"),
                chain(
                        "fail-dac-product-outside-the-pai",
                        "paa",
                        pai("/CN=PAI/" + VID + "=FFF1/" + PID + "=8000"),
                        "/CN=DAC/" + VID + "=FFF1/" + PID + "=8001",
                        "matter-vid-match"),
                chain(
                        "fail-pai-vendor-id-differs-from-paa",
                        "paa-fff3",
                        pai("/CN=PAI/" + VID + "=FFF1"),
                        "/CN=DAC/" + VID + "=FFF1/" + PID + "=8000",
                        "matter-vid-match"),
                chain(
                        "fail-dac-without-product-id",
                        "paa",
                        pai("/CN=PAI/" + VID + "=FFF1"),
                        "/CN=DAC/" + VID + "=FFF1",
                        "matter-vid-pid"),
                chain(
                        "fail-vendor-id-lower-case",
                        "paa",
                        pai("/CN=PAI/" + VID + "=fff1"),
                        "/CN=DAC/" + VID + "=FFF1/" + PID + "=8000",
                        "matter-vid-pid"),
                Arguments.of(
                        "fail-pai-path-length-1",
                        "paa",
                        new String[] {
                            "/CN=PAI/" + VID + "=FFF1", "basicConstraints=critical,CA:TRUE,pathlen:1", CA_USAGE
                        },
                        "/CN=DAC/" + VID + "=FFF1/" + PID + "=8000",
                        "prime256v1",
                        new String[] {DAC, DAC_USAGE},
                        "matter-pai-path-length"),
                Arguments.of(
                        "fail-dac-without-basic-constraints",
                        "paa",
                        pai("/CN=PAI/" + VID + "=FFF1"),
                        "/CN=DAC/" + VID + "=FFF1/" + PID + "=8000",
                        "prime256v1",
                        new String[] {DAC_USAGE},
                        "matter-dac-basic-constraints"),
                Arguments.of(
                        "fail-dac-on-p384",
                        "paa",
                        pai("/CN=PAI/" + VID + "=FFF1"),
                        "/CN=DAC/" + VID + "=FFF1/" + PID + "=8000",
                        "secp384r1",
                        new String[] {DAC, DAC_USAGE},
                        "matter-algorithm"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("chains")
    void appliesMattersRulesOnTopOfTheProfile(
            String name, String paa, String[] pai, String dacSubject, String curve, String[] dacExtensions, String rule)
            throws Exception {
        List<String> paiExtensions = new ArrayList<>(List.of(pai).subList(1, pai.length));
        X509Certificate intermediate =
                openssl.issue(name + "-pai", paa, pai[0], "prime256v1", "sha256", paiExtensions.toArray(String[]::new));
        X509Certificate device =
                openssl.issue(name + "-dac", name + "-pai", dacSubject, curve, "sha256", dacExtensions);
        AttestationVerifier verifier =
                new AttestationVerifier(Map.of("MATTER", paaTrustList), Map.of("MATTER", MATTER));
        SubjectPublicKeyInfo key =
                SubjectPublicKeyInfo.getInstance(device.getPublicKey().getEncoded());
        List<String> chain = Openssl.base64(device, intermediate);
        if (rule == null) {
            assertEquals(
                    device, verifier.verify("MATTER", chain, key, Instant.now()).certificate());
            return;
        }
        RequestRejectedException e = assertThrows(
                RequestRejectedException.class, () -> verifier.verify("MATTER", chain, key, Instant.now()));
        assertEquals(ReasonCode.ATTESTATION_INVALID, e.reason(), e.getMessage());
        assertTrue(e.getMessage().startsWith("attestation rule " + rule + ":"), e.getMessage());
    }

    private static String[] pai(String subject) {
        return new String[] {subject, PAI, CA_USAGE};
    }

    private static Arguments chain(String name, String paa, String[] pai, String dacSubject, String rule) {
        return Arguments.of(name, paa, pai, dacSubject, "prime256v1", new String[] {DAC, DAC_USAGE}, rule);
    }
}
