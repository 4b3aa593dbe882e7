package io.imprint.testing;

import io.imprint.contracts.TopicDeclarations;
import io.imprint.contracts.access.AccessDeclarations;
import io.imprint.eventplane.EventPlaneAdmin;
import io.imprint.eventplane.KafkaTls;
import io.imprint.pki.Pem;
import io.imprint.pki.ceremony.CaCeremony;
import io.imprint.pki.ceremony.KeyAliases;
import io.imprint.pki.keys.EcKeys;
import io.imprint.pki.keys.Pkcs11KeyBackend;
import io.imprint.pki.station.StationCredential;
import io.imprint.pki.station.StationIdentity;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Properties;

/**
 * Enrols test stations with the station CA in the test token, as the operator command does, and grants
 * them their broker rights ({@code deploy/local/acls.conf}) as {@code kafka.sh grant-station} does.
 */
public final class TestStations {
    private TestStations() {}

    public static StationCredential enrol(String factoryId, String stationId, Instant notBefore, Duration validity) {
        TestToken.certificates();
        Pkcs11KeyBackend token = TestToken.token();
        KeyPair key = ecKey();
        X509Certificate certificate = new CaCeremony(token, "Imprint Test", line -> {})
                .enrolStation(new StationIdentity(factoryId, stationId), key.getPublic(), validity, notBefore);
        return new StationCredential(
                key.getPrivate(),
                List.of(certificate, token.key(KeyAliases.STATION_CA).certificate()));
    }

    public static StationCredential enrol(String factoryId, String stationId) {
        return enrol(factoryId, stationId, Instant.now(), Duration.ofHours(8));
    }

    /** Enrols the station and gives it its broker rights and its factory's results topic. */
    public static StationCredential enrolAndGrant(String factoryId, String stationId) {
        StationCredential station = enrol(factoryId, stationId);
        try (EventPlaneAdmin admin = new EventPlaneAdmin(TestKafka.admin())) {
            admin.grantStation(
                    new StationIdentity(factoryId, stationId),
                    TopicDeclarations.load(ProjectPaths.root().resolve("deploy/local/topics.conf")),
                    AccessDeclarations.load(ProjectPaths.root().resolve("deploy/local/acls.conf")));
        }
        return station;
    }

    /** Kafka client settings with which the station connects as itself (mutual TLS with its credential). */
    public static Properties client(StationCredential station) {
        try {
            X509Certificate serviceCa = Pem.certificates(Files.readString(TestIdentities.serviceCa()))
                    .get(0);
            return KafkaTls.client(TestKafka.bootstrapServers(), station.key(), station.chain(), serviceCa);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static KeyPair ecKey() {
        return EcKeys.p256();
    }
}
