package io.imprint.intake;

import static io.imprint.intake.Decisions.assertAccepted;
import static io.imprint.intake.Decisions.assertRejected;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.imprint.contracts.ReasonCode;
import io.imprint.contracts.events.CsrRejectedV1;
import io.imprint.contracts.events.CsrSubmittedV1;
import io.imprint.pki.Pem;
import io.imprint.pki.Providers;
import io.imprint.pki.csr.CsrBuilder;
import io.imprint.pki.station.StationCredential;
import io.imprint.testing.ImprintTestInfrastructure;
import io.imprint.testing.ProjectPaths;
import io.imprint.testing.TestStations;
import io.imprint.testing.TestSubmissions;
import io.imprint.testing.TestVendors;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.Signature;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.asn1.DERBitString;
import org.bouncycastle.asn1.pkcs.CertificationRequest;
import org.bouncycastle.asn1.pkcs.CertificationRequestInfo;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.junit.jupiter.api.Test;

/**
 * Strictness through the real broker, with CSRs and attestation certificates made by openssl: what a gateway
 * author's tooling produces is accepted or refused with the reason and the rule it broke.
 */
@QuarkusTest
@QuarkusTestResource(
        value = ImprintTestInfrastructure.class,
        initArgs = {
            @ResourceArg(name = ImprintTestInfrastructure.DATABASE, value = "true"),
            @ResourceArg(name = ImprintTestInfrastructure.VENDORS, value = "true")
        })
class StrictIntakeTest {
    private static final StationCredential STATION = TestStations.enrol("factory-a", "station-1");

    @Test
    void acceptsOpensslCsrUnderTheLegacyPemLabel() {
        String order = Orders.create("factory-a", 1);
        OpensslDevice device = new OpensslDevice("dev-" + UUID.randomUUID());
        String legacy = device.csr().replace("CERTIFICATE REQUEST", "NEW CERTIFICATE REQUEST");
        assertAccepted(publish(submission(device.deviceId, order, legacy, null, List.of())));
    }

    @Test
    void refusesChallengePasswordUnlessTheOrderIgnoresIt() {
        String strict = Orders.create("factory-a", 1);
        String lenient = Orders.create("factory-a", 1, Map.of("ignoredCsrAttributes", List.of("challengePassword")));
        OpensslDevice device = new OpensslDevice("dev-" + UUID.randomUUID());
        String csr = device.csr("challengePassword=factory-secret");
        CsrRejectedV1 refused = assertRejected(
                publish(submission(device.deviceId, strict, csr, null, List.of())),
                ReasonCode.CSR_EXTENSION_NOT_ALLOWED);
        assertTrue(refused.message().contains("challengePassword"), refused.message());
        assertAccepted(publish(submission(device.deviceId, lenient, csr, null, List.of())));
        Orders.get("/orders/" + lenient)
                .then()
                .statusCode(200)
                .body("ignoredCsrAttributes[0]", equalTo("1.2.840.113549.1.9.7"));
    }

    @Test
    void refusesValidlySignedCsrOfVersionOne() throws Exception {
        String order = Orders.create("factory-a", 1);
        String device = "dev-" + UUID.randomUUID();
        CsrRejectedV1 refused = assertRejected(
                publish(submission(device, order, versionOne(device), null, List.of())), ReasonCode.CSR_MALFORMED);
        assertTrue(refused.message().contains("version is 1"), refused.message());
    }

    @Test
    void refusesAttestationWhoseDeviceCertificateIsACa() {
        String order = Orders.create("factory-a", 1, Map.of("attestationRequired", true));
        OpensslDevice device = new OpensslDevice("dev-" + UUID.randomUUID());
        Path vendor = ProjectPaths.root().resolve("work/test-vendor");
        String caLeaf = device.certificate(
                vendor.resolve("signer.pem"),
                vendor.resolve("signer.key"),
                "basicConstraints=critical,CA:TRUE",
                "keyUsage=critical,digitalSignature,keyCertSign");
        String signer = Base64.getEncoder().encodeToString(signerDer());
        CsrRejectedV1 refused = assertRejected(
                publish(submission(device.deviceId, order, device.csr(), TestVendors.TYPE, List.of(caLeaf, signer))),
                ReasonCode.ATTESTATION_INVALID);
        assertTrue(refused.message().startsWith("attestation rule leaf-not-ca:"), refused.message());
    }

    @Test
    void refusesDeviceIdPatternsThatWouldStallIntakeWithTheDocumentedError() {
        for (String pattern : List.of("a".repeat(200_000), "((a{1000}){1000}){1000}", "(a)\\1")) {
            Orders.post(
                            "/orders",
                            Map.of(
                                    "orderId",
                                    "po-" + UUID.randomUUID(),
                                    "factoryId",
                                    "factory-a",
                                    "productModel",
                                    "sensor-x",
                                    "quantity",
                                    1,
                                    "notAfter",
                                    "2099-01-01T00:00:00Z",
                                    "deviceIdPattern",
                                    pattern))
                    .then()
                    .statusCode(400)
                    .contentType("application/json")
                    .body("code", equalTo("INVALID_ORDER"))
                    .body("message", containsString("deviceIdPattern"));
        }
    }

    private static byte[] signerDer() {
        try {
            return TestVendors.microchip()
                    .attest(TestStations.ecKey().getPublic(), "0")
                    .get(1)
                    .getEncoded();
        } catch (java.security.cert.CertificateEncodingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A CSR whose version field is 1, signed over exactly those bytes, so only the version check can refuse it. */
    private static String versionOne(String device) throws Exception {
        KeyPair key = TestStations.ecKey();
        byte[] der = Pem.decodeAll(CsrBuilder.devicePem(device, key, "SHA256withECDSA"), "CERTIFICATE REQUEST")
                .get(0);
        byte[] info = CertificationRequest.getInstance(der)
                .getCertificationRequestInfo()
                .getEncoded("DER");
        int version = info[1] < 0 ? 2 + (info[1] & 0x7F) + 2 : 4; // the INTEGER's value octet
        info[version] = 1;
        Signature signer = Signature.getInstance("SHA256withECDSA", Providers.BC);
        signer.initSign(key.getPrivate());
        signer.update(info);
        CertificationRequest request = new CertificationRequest(
                CertificationRequestInfo.getInstance(ASN1Sequence.getInstance(info)),
                new AlgorithmIdentifier(X9ObjectIdentifiers.ecdsa_with_SHA256),
                new DERBitString(signer.sign()));
        return Pem.encode("CERTIFICATE REQUEST", request.getEncoded("DER"));
    }

    private static CsrSubmittedV1 submission(String device, String order, String csr, String type, List<String> chain) {
        CsrSubmittedV1 base = TestSubmissions.submission(STATION, device, order);
        return new CsrSubmittedV1(
                base.requestId(),
                device,
                base.factoryId(),
                base.stationId(),
                order,
                base.submittedAt(),
                csr,
                type,
                chain);
    }

    private static CsrSubmittedV1 publish(CsrSubmittedV1 submission) {
        TestSubmissions.publish(submission, STATION);
        return submission;
    }
}
