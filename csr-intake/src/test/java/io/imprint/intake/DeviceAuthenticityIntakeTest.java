package io.imprint.intake;

import static io.imprint.intake.Decisions.assertAccepted;
import static io.imprint.intake.Decisions.assertRejected;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.imprint.contracts.ReasonCode;
import io.imprint.contracts.events.CsrRejectedV1;
import io.imprint.contracts.events.CsrSubmittedV1;
import io.imprint.gateway.SimulatedVendor;
import io.imprint.pki.Pem;
import io.imprint.pki.attestation.KeyFingerprint;
import io.imprint.pki.csr.CsrBuilder;
import io.imprint.pki.station.StationCredential;
import io.imprint.testing.ImprintTestInfrastructure;
import io.imprint.testing.TestMatter;
import io.imprint.testing.TestStations;
import io.imprint.testing.TestSubmissions;
import io.imprint.testing.TestVendors;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import java.security.KeyPair;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.ExtensionsGenerator;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;
import org.junit.jupiter.api.Test;

/** Anti-counterfeit: secure-element attestation, vendor manifests and the CSR policy, through the broker. */
@QuarkusTest
@QuarkusTestResource(
        value = ImprintTestInfrastructure.class,
        initArgs = {
            @ResourceArg(name = ImprintTestInfrastructure.DATABASE, value = "true"),
            @ResourceArg(name = ImprintTestInfrastructure.VENDORS, value = "true")
        })
class DeviceAuthenticityIntakeTest {
    private static final StationCredential STATION = TestStations.enrol("factory-a", "station-1");

    @Test
    void orderRequiringAttestationAcceptsOnlyGenuineElementsForTheCsrKey() {
        String order = Orders.create(
                "factory-a", 10, Map.of("attestationRequired", true, "secureElementTypes", List.of(TestVendors.TYPE)));
        CsrSubmittedV1 genuine = TestSubmissions.attested(STATION, "dev-" + UUID.randomUUID(), order);
        CsrSubmittedV1 missing = publish(TestSubmissions.submission(
                STATION, "dev-" + UUID.randomUUID(), order, TestStations.ecKey(), TestVendors.TYPE, List.of()));
        KeyPair key = TestStations.ecKey();
        CsrSubmittedV1 counterfeit = publish(TestSubmissions.submission(
                STATION,
                "dev-" + UUID.randomUUID(),
                order,
                key,
                TestVendors.TYPE,
                new SimulatedVendor("Test Microchip").attestBase64(key.getPublic(), "1")));
        CsrSubmittedV1 borrowed = publish(TestSubmissions.submission(
                STATION,
                "dev-" + UUID.randomUUID(),
                order,
                TestStations.ecKey(),
                TestVendors.TYPE,
                TestVendors.microchip().attestBase64(TestStations.ecKey().getPublic(), "2")));
        publish(genuine);

        assertAccepted(genuine);
        assertRejected(missing, ReasonCode.ATTESTATION_REQUIRED);
        assertRejected(counterfeit, ReasonCode.ATTESTATION_INVALID);
        assertRejected(borrowed, ReasonCode.ATTESTATION_KEY_MISMATCH);
    }

    @Test
    void orderWithManifestAcceptsOnlyListedKeys() {
        KeyPair listed = TestStations.ecKey();
        String order = Orders.create(
                "factory-a",
                10,
                Map.of(
                        "manifest",
                        List.of(KeyFingerprint.sha256(listed.getPublic().getEncoded()))));
        CsrSubmittedV1 inManifest = publish(
                TestSubmissions.submission(STATION, "dev-" + UUID.randomUUID(), order, listed, null, List.of()));
        CsrSubmittedV1 notInManifest = publish(TestSubmissions.submission(STATION, "dev-" + UUID.randomUUID(), order));
        assertAccepted(inManifest);
        assertRejected(notInManifest, ReasonCode.DEVICE_NOT_IN_MANIFEST);

        KeyPair added = TestStations.ecKey();
        Orders.post(
                        "/orders/" + order + "/manifest",
                        Map.of(
                                "publicKeySha256",
                                List.of(KeyFingerprint.sha256(added.getPublic().getEncoded()))))
                .then()
                .statusCode(200)
                .body("manifestSize", equalTo(2));
        assertAccepted(publish(
                TestSubmissions.submission(STATION, "dev-" + UUID.randomUUID(), order, added, null, List.of())));
    }

    @Test
    void aVendorsSignedManifestBecomesTheOrdersManifestOnlyIfEveryEntryVerifies() {
        String order = Orders.create("factory-a", 10);
        KeyPair listed = TestStations.ecKey();
        String manifest = TestVendors.microchip()
                .signedManifest(Map.of(
                        "01a1", listed.getPublic(), "01a2", TestStations.ecKey().getPublic()));
        Orders.post(
                        "/orders/" + order + "/manifest",
                        Map.of("microchipManifest", new io.vertx.core.json.JsonArray(manifest).getList()))
                .then()
                .statusCode(200)
                .body("manifestSize", equalTo(2));
        assertAccepted(publish(
                TestSubmissions.submission(STATION, "dev-" + UUID.randomUUID(), order, listed, null, List.of())));
        assertRejected(
                publish(TestSubmissions.submission(STATION, "dev-" + UUID.randomUUID(), order)),
                ReasonCode.DEVICE_NOT_IN_MANIFEST);

        String lookAlike = new SimulatedVendor("Test Microchip")
                .signedManifest(Map.of("01a3", TestStations.ecKey().getPublic()));
        Orders.post(
                        "/orders/" + order + "/manifest",
                        Map.of("microchipManifest", new io.vertx.core.json.JsonArray(lookAlike).getList()))
                .then()
                .statusCode(400)
                .body("code", equalTo("INVALID_MANIFEST"))
                .body("message", org.hamcrest.Matchers.containsString("not a trusted manifest signer"));
        Orders.get("/orders/" + order).then().body("manifestSize", equalTo(2));
    }

    @Test
    void matterDevicesAreAcceptedOnlyUnderTheirProductsCertificationDeclaration() {
        Orders.post(
                        "/orders",
                        Map.of(
                                "orderId",
                                "po-" + UUID.randomUUID(),
                                "factoryId",
                                "factory-a",
                                "productModel",
                                "plug",
                                "quantity",
                                1,
                                "notAfter",
                                "2099-01-01T00:00:00Z",
                                "matterCertificationDeclaration",
                                TestMatter.lookAlikeDeclaration()))
                .then()
                .statusCode(400)
                .body("code", equalTo("INVALID_ORDER"))
                .body(
                        "message",
                        org.hamcrest.Matchers.containsString("not a trusted certification-declaration signer"));
        String order =
                Orders.create("factory-a", 10, Map.of("matterCertificationDeclaration", TestMatter.declaration()));

        OpensslDevice genuine = new OpensslDevice("dev-" + UUID.randomUUID());
        assertAccepted(publish(matter(genuine, order, TestMatter.attest(genuine.key(), "FFF1", "8000"))));
        OpensslDevice otherProduct = new OpensslDevice("dev-" + UUID.randomUUID());
        CsrRejectedV1 undeclared = assertRejected(
                publish(matter(otherProduct, order, TestMatter.attest(otherProduct.key(), "FFF1", "8001"))),
                ReasonCode.ATTESTATION_INVALID);
        assertTrue(
                undeclared.message().startsWith("attestation rule matter-certification-declaration:"),
                undeclared.message());
        OpensslDevice otherVendor = new OpensslDevice("dev-" + UUID.randomUUID());
        CsrRejectedV1 mismatched = assertRejected(
                publish(matter(otherVendor, order, TestMatter.attest(otherVendor.key(), "FFF2", "8000"))),
                ReasonCode.ATTESTATION_INVALID);
        assertTrue(mismatched.message().startsWith("attestation rule matter-vid-match:"), mismatched.message());
        OpensslDevice unattested = new OpensslDevice("dev-" + UUID.randomUUID());
        assertRejected(publish(matter(unattested, order, List.of())), ReasonCode.ATTESTATION_REQUIRED);
    }

    private static CsrSubmittedV1 matter(OpensslDevice device, String order, List<String> chain) {
        CsrSubmittedV1 base = TestSubmissions.submission(STATION, device.deviceId, order);
        return new CsrSubmittedV1(
                base.requestId(),
                device.deviceId,
                base.factoryId(),
                base.stationId(),
                order,
                base.submittedAt(),
                device.csr(),
                chain.isEmpty() ? null : TestMatter.TYPE,
                chain);
    }

    @Test
    void rejectsCsrsOutsideThePolicyWithTheirReason() throws Exception {
        String order = Orders.create("factory-a", 10);
        String device = "dev-" + UUID.randomUUID();
        CsrSubmittedV1 sha1 =
                publish(withCsr(device, order, CsrBuilder.devicePem(device, TestStations.ecKey(), "SHA1withECDSA")));
        KeyPair rsa = rsa1024();
        CsrSubmittedV1 weakKey = publish(withCsr(device, order, CsrBuilder.devicePem(device, rsa, "SHA256withRSA")));
        CsrSubmittedV1 otherDevice = publish(
                withCsr(device, order, CsrBuilder.devicePem("someone-else", TestStations.ecKey(), "SHA256withECDSA")));
        CsrSubmittedV1 garbage = publish(withCsr(device, order, """
                -----BEGIN CERTIFICATE REQUEST-----
                MAMCAQA=
                -----END CERTIFICATE REQUEST-----
                """));
        CsrSubmittedV1 forged = publish(withCsr(device, order, tamperedSignature(device)));
        CsrSubmittedV1 wantsCa = publish(withCsr(device, order, caRequest(device)));

        assertRejected(sha1, ReasonCode.CSR_ALGORITHM_NOT_ALLOWED);
        assertRejected(weakKey, ReasonCode.CSR_KEY_NOT_ALLOWED);
        assertRejected(otherDevice, ReasonCode.CSR_SUBJECT_MISMATCH);
        assertRejected(garbage, ReasonCode.CSR_MALFORMED);
        assertRejected(forged, ReasonCode.CSR_SIGNATURE_INVALID);
        assertRejected(wantsCa, ReasonCode.CSR_EXTENSION_NOT_ALLOWED);
    }

    @Test
    void acceptsRawRsSignatureFromSecureElement() {
        String order = Orders.create("factory-a", 1);
        String device = "dev-" + UUID.randomUUID();
        assertAccepted(publish(
                withCsr(device, order, CsrBuilder.devicePem(device, TestStations.ecKey(), "SHA256withPLAIN-ECDSA"))));
    }

    private static CsrSubmittedV1 withCsr(String device, String order, String csr) {
        CsrSubmittedV1 base = TestSubmissions.submission(STATION, device, order);
        return new CsrSubmittedV1(
                base.requestId(), device, base.factoryId(), base.stationId(), order, base.submittedAt(), csr);
    }

    private static CsrSubmittedV1 publish(CsrSubmittedV1 submission) {
        TestSubmissions.publish(submission, STATION);
        return submission;
    }

    private static KeyPair rsa1024() throws Exception {
        java.security.KeyPairGenerator generator = java.security.KeyPairGenerator.getInstance("RSA");
        generator.initialize(1024);
        return generator.generateKeyPair();
    }

    private static String tamperedSignature(String device) {
        byte[] der = Pem.decodeAll(
                        CsrBuilder.devicePem(device, TestStations.ecKey(), "SHA256withECDSA"), "CERTIFICATE REQUEST")
                .get(0);
        der[der.length - 5] ^= 0x01;
        return Pem.encode("CERTIFICATE REQUEST", der);
    }

    private static String caRequest(String device) throws Exception {
        KeyPair key = TestStations.ecKey();
        ExtensionsGenerator extensions = new ExtensionsGenerator();
        extensions.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
        return Pem.encode(new JcaPKCS10CertificationRequestBuilder(
                        new X500Name("CN=" + device + ",SERIALNUMBER=" + device), key.getPublic())
                .addAttribute(PKCSObjectIdentifiers.pkcs_9_at_extensionRequest, extensions.generate())
                .build(new JcaContentSignerBuilder("SHA256withECDSA").build(key.getPrivate())));
    }
}
