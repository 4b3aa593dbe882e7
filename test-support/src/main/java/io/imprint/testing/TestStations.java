package io.imprint.testing;

import io.imprint.pki.Providers;
import io.imprint.pki.ceremony.CaCeremony;
import io.imprint.pki.keys.Pkcs11Config;
import io.imprint.pki.keys.Pkcs11KeyBackend;
import io.imprint.pki.station.StationCredential;
import io.imprint.pki.station.StationIdentity;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;

/** Enrols test stations with the station CA in the test token, as the operator command does. */
public final class TestStations {
    private TestStations() {
    }

    public static StationCredential enrol(String factoryId, String stationId, Instant notBefore, Duration validity) {
        TestToken.certificates();
        Pkcs11KeyBackend token = new Pkcs11KeyBackend(new Pkcs11Config(Pkcs11Config.SOFTHSM2, 0),
                TestToken.USER_PIN.toCharArray());
        KeyPair key = ecKey();
        return new StationCredential(key.getPrivate(), new CaCeremony(token, "Imprint Test", line -> { })
                .enrolStation(new StationIdentity(factoryId, stationId), key.getPublic(), validity, notBefore));
    }

    public static StationCredential enrol(String factoryId, String stationId) {
        return enrol(factoryId, stationId, Instant.now(), Duration.ofHours(8));
    }

    public static KeyPair ecKey() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC", Providers.BC);
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
