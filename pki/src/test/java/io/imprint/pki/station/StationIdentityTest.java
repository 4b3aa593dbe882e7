package io.imprint.pki.station;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.imprint.pki.CertificateTemplates;
import io.imprint.pki.TestPki;
import io.imprint.pki.service.ServiceIdentity;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Station and service identities become Kafka principals and topic names: their form is checked. */
class StationIdentityTest {
    private static final TestPki PKI = new TestPki();

    @Test
    void okStationSubjectStartsWithItsOrganizationalUnitAndMapsToAPrincipal() throws Exception {
        StationIdentity station = new StationIdentity("factory-7", "line-3.station_2");
        X509Certificate certificate = certificate(station.subject());
        assertEquals(
                "CN=line-3.station_2,O=factory-7,OU=Imprint factory station",
                certificate.getSubjectX500Principal().getName(),
                "as the broker's principal mapping reads it");
        assertEquals(station, StationIdentity.of(certificate));
        assertEquals("station:factory-7/line-3.station_2", station.principal());
    }

    @Test
    void failIdsThatCouldNotBeTopicOrPrincipalNames() {
        for (String factory : List.of("", "-a", "a.b", "a_b", "a/b", "a,OU=Imprint service", "x".repeat(65))) {
            assertThrows(IllegalArgumentException.class, () -> new StationIdentity(factory, "s-1"), factory);
        }
        for (String station : List.of("", ".s", "s/1", "s,O=x", "s 1")) {
            assertThrows(IllegalArgumentException.class, () -> new StationIdentity("f-1", station), station);
        }
    }

    @Test
    void okServiceSubjectMapsToAPrincipalAndNothingElseIsAService() throws Exception {
        ServiceIdentity signer = new ServiceIdentity("signer");
        X509Certificate certificate = certificate(signer.subject());
        assertEquals(
                "CN=signer,OU=Imprint service",
                certificate.getSubjectX500Principal().getName());
        assertEquals(signer, ServiceIdentity.of(certificate).orElseThrow());
        assertEquals("service:signer", signer.principal());
        assertTrue(ServiceIdentity.of(certificate(new StationIdentity("f", "signer").subject()))
                .isEmpty());
        assertThrows(IllegalArgumentException.class, () -> new ServiceIdentity("Signer"));
    }

    private static X509Certificate certificate(org.bouncycastle.asn1.x500.X500Name subject) {
        KeyPair key = TestPki.ec("secp256r1");
        return CertificateTemplates.clientAuth(
                PKI.stationCa, subject, key.getPublic(), TestPki.NOW, TestPki.NOW.plus(Duration.ofHours(8)));
    }
}
