package io.imprint.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.imprint.pki.Pem;
import io.imprint.pki.ceremony.CaCeremony;
import io.imprint.pki.ceremony.KeyAliases;
import io.imprint.pki.keys.CaKey;
import io.imprint.pki.keys.Pkcs11Config;
import io.imprint.pki.keys.Pkcs11KeyBackend;
import io.imprint.pki.station.StationCredential;
import java.nio.file.Files;
import java.security.cert.CertPath;
import java.security.cert.CertPathValidator;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The CA ceremony on a real SoftHSM2 token, through SunPKCS11. */
class TokenCeremonyTest {

    private static Pkcs11KeyBackend token() {
        TestToken.certificates();
        return new Pkcs11KeyBackend(
                new Pkcs11Config(Pkcs11Config.SOFTHSM2, 0), TestToken.userPin().toCharArray());
    }

    @Test
    void caKeysStayInTheTokenSensitiveAndNotExtractable() {
        Pkcs11KeyBackend token = token();
        for (String alias : List.of(
                KeyAliases.ROOT_CA,
                KeyAliases.ISSUING_CA,
                KeyAliases.OCSP_RESPONDER,
                KeyAliases.INFRASTRUCTURE_ROOT_CA,
                KeyAliases.STATION_CA,
                KeyAliases.SERVICE_CA)) {
            CaKey key = token.key(alias);
            assertNull(key.privateKey().getEncoded(), alias + " private key must not be readable");
            assertTrue(key.privateKey().getClass().getName().contains("P11"), alias + " is a token object");
        }
    }

    @Test
    void chainValidatesWithTheJdkCertPathValidator() throws Exception {
        Pkcs11KeyBackend token = token();
        CaKey ocsp = token.key(KeyAliases.OCSP_RESPONDER);
        X509Certificate root = token.key(KeyAliases.ROOT_CA).certificate();
        CertPath path = CertificateFactory.getInstance("X.509")
                .generateCertPath(ocsp.chain().subList(0, 2));
        PKIXParameters params = new PKIXParameters(Set.of(new TrustAnchor(root, null)));
        params.setRevocationEnabled(false);
        CertPathValidator.getInstance("PKIX").validate(path, params);
        assertEquals(List.of("1.3.6.1.5.5.7.3.9"), ocsp.certificate().getExtendedKeyUsage());
        assertEquals(0, token.key(KeyAliases.ISSUING_CA).certificate().getBasicConstraints());
    }

    @Test
    void ceremonyIsIdempotentAndExportsCertificates() throws Exception {
        Pkcs11KeyBackend token = token();
        X509Certificate before = token.key(KeyAliases.ISSUING_CA).certificate();
        new CaCeremony(token, "Imprint Test", line -> {}).createHierarchy(TestToken.certificates(), Instant.now());
        assertEquals(before, token.key(KeyAliases.ISSUING_CA).certificate(), "an existing CA is never replaced");
        String exported = Files.readString(TestToken.certificates().resolve("issuing-ca.pem"));
        assertEquals(before, Pem.certificates(exported).get(0));
    }

    @Test
    void enrolsStationWithShortLivedCertificateFromTheStationCa() throws Exception {
        StationCredential station = TestStations.enrol("factory-1", "station-1");
        X509Certificate stationCa = token().key(KeyAliases.STATION_CA).certificate();
        station.certificate().verify(stationCa.getPublicKey());
        long hours = Duration.between(
                        station.certificate().getNotBefore().toInstant(),
                        station.certificate().getNotAfter().toInstant())
                .toHours();
        assertEquals(8, hours);
        assertEquals(
                "CN=station-1,O=factory-1,OU=Imprint factory station",
                station.certificate().getSubjectX500Principal().getName());
    }
}
