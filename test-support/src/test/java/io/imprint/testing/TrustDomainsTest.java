package io.imprint.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.imprint.contracts.events.CertIssuedV1;
import io.imprint.pki.CertificateTemplates;
import io.imprint.pki.Pem;
import io.imprint.pki.ceremony.KeyAliases;
import io.imprint.pki.keys.CaKey;
import io.imprint.pki.keys.Pkcs11KeyBackend;
import io.imprint.pki.service.ServiceIdentity;
import io.imprint.pki.station.StationCredential;
import io.imprint.pki.station.StationIdentity;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertPathValidator;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Devices and infrastructure (stations, services) are separate trust domains with separate roots: the chain
 * check an IoT endpoint runs for a device (openssl verify -purpose sslclient against the device root) refuses
 * a station's or a service's certificate, and the station and service CAs are name-constrained to their own
 * kind of subject. Every check is openssl's or the JDK's.
 */
class TrustDomainsTest {
    private static final Path CERTS = TestToken.certificates();

    @Test
    void aStationOrServiceCertificateFailsTheDeviceChainCheckAndPassesItsOwn(@TempDir Path dir) throws Exception {
        StationCredential station = TestStations.enrol("factory-td", "station-td");
        Files.writeString(dir.resolve("station.pem"), Pem.encode(station.certificate()));
        Files.writeString(dir.resolve("service.pem"), Files.readString(TestIdentities.file("audit")));
        for (String[] leaf : new String[][] {{"station.pem", "station-ca.pem"}, {"service.pem", "service-ca.pem"}}) {
            Shell.Result asDevice = verify(dir, "root-ca.pem", CERTS.resolve(leaf[1]), dir.resolve(leaf[0]));
            assertNotEquals(0, asDevice.exit(), leaf[0] + " must not pass as a device: " + asDevice.output());
            Shell.Result viaIssuingCa =
                    verify(dir, "root-ca.pem", CERTS.resolve("issuing-ca.pem"), dir.resolve(leaf[0]));
            assertNotEquals(0, viaIssuingCa.exit(), viaIssuingCa.output());
            Shell.Result asInfrastructure =
                    verify(dir, "infrastructure-root-ca.pem", CERTS.resolve(leaf[1]), dir.resolve(leaf[0]));
            assertEquals(0, asInfrastructure.exit(), asInfrastructure.output());
        }
    }

    @Test
    void aDeviceCertificatePassesTheDeviceChainCheckOnly(@TempDir Path dir) throws Exception {
        CertIssuedV1 issued = TestEvents.issued("dev-td-" + Instant.now().toEpochMilli());
        Files.writeString(dir.resolve("device.pem"), issued.certificate());
        assertEquals(
                0,
                verify(dir, "root-ca.pem", CERTS.resolve("issuing-ca.pem"), dir.resolve("device.pem"))
                        .exit());
        assertNotEquals(
                0,
                verify(dir, "infrastructure-root-ca.pem", CERTS.resolve("issuing-ca.pem"), dir.resolve("device.pem"))
                        .exit());
    }

    @Test
    void theStationCaCannotCertifyAServiceNorTheServiceCaAStation(@TempDir Path dir) throws Exception {
        Pkcs11KeyBackend token = TestToken.token();
        X509Certificate root = token.key(KeyAliases.INFRASTRUCTURE_ROOT_CA).certificate();
        CaKey stationCa = token.key(KeyAliases.STATION_CA);
        CaKey serviceCa = token.key(KeyAliases.SERVICE_CA);
        X509Certificate fakeService = leaf(stationCa, new ServiceIdentity("signer").subject());
        X509Certificate fakeStation = leaf(serviceCa, new StationIdentity("factory-x", "station-x").subject());
        assertThrows(CertPathValidatorException.class, () -> validate(root, fakeService, stationCa.certificate()));
        assertThrows(CertPathValidatorException.class, () -> validate(root, fakeStation, serviceCa.certificate()));
        validate(
                root,
                leaf(stationCa, new StationIdentity("factory-x", "station-x").subject()),
                stationCa.certificate());
        Files.writeString(dir.resolve("fake.pem"), Pem.encode(fakeService));
        Shell.Result refused =
                verify(dir, "infrastructure-root-ca.pem", CERTS.resolve("station-ca.pem"), dir.resolve("fake.pem"));
        assertNotEquals(0, refused.exit());
        assertTrue(refused.output().contains("permitted subtree violation"), refused.output());
    }

    @Test
    void authorityKeyIdentifiersCarryTheKeyIdentifierOnly() {
        for (String file : List.of("issuing-ca.pem", "station-ca.pem", "service-ca.pem", "ocsp-responder.pem")) {
            String text = Shell.run(
                            CERTS,
                            Map.of(),
                            List.of("openssl", "x509", "-in", file, "-noout", "-ext", "authorityKeyIdentifier"))
                    .output();
            assertTrue(text.contains("Authority Key Identifier"), file + ": " + text);
            assertTrue(!text.contains("DirName") && !text.contains("serial:"), file + ": " + text);
        }
    }

    private static Shell.Result verify(Path dir, String anchor, Path intermediate, Path leaf) {
        return Shell.run(
                dir,
                Map.of(),
                List.of(
                        "openssl",
                        "verify",
                        "-purpose",
                        "sslclient",
                        "-CAfile",
                        CERTS.resolve(anchor).toString(),
                        "-untrusted",
                        intermediate.toString(),
                        leaf.toString()));
    }

    private static X509Certificate leaf(CaKey ca, org.bouncycastle.asn1.x500.X500Name subject) {
        return CertificateTemplates.clientAuth(
                ca,
                subject,
                TestStations.ecKey().getPublic(),
                Instant.now(),
                Instant.now().plus(Duration.ofHours(1)));
    }

    private static void validate(X509Certificate root, X509Certificate... path) throws Exception {
        PKIXParameters params = new PKIXParameters(Set.of(new TrustAnchor(root, null)));
        params.setRevocationEnabled(false);
        CertPathValidator.getInstance("PKIX")
                .validate(CertificateFactory.getInstance("X.509").generateCertPath(List.of(path)), params);
    }
}
