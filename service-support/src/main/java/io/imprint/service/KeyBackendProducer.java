package io.imprint.service;

import io.imprint.pki.keys.KeyBackend;
import io.imprint.pki.keys.KeyBackendException;
import io.imprint.pki.keys.KeyBackends;
import io.imprint.pki.keys.KeyBackends.Kind;
import io.imprint.pki.keys.KeyBackends.Settings;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.configuration.ConfigUtils;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;

/** Opens the key backend once per process; a service that cannot reach it fails at start-up with a reason. */
@ApplicationScoped
public class KeyBackendProducer {

    @Produces
    @ApplicationScoped
    KeyBackend keyBackend(HsmConfig config, MeterRegistry metrics) {
        Kind kind;
        try {
            kind = Kind.valueOf(config.backend().toUpperCase(Locale.ROOT).replace('-', '_'));
        } catch (IllegalArgumentException e) {
            throw new KeyBackendException(
                    "imprint.hsm.backend '" + config.backend() + "' is not one of pkcs11, cloudhsm-jce, pkcs12", null);
        }
        Settings settings = new Settings(
                kind,
                config.library(),
                config.slotListIndex(),
                pin(config),
                config.cloudhsm().jars().orElse(List.of()),
                config.cloudhsm().certificates(),
                config.cloudhsm().user(),
                config.pkcs12File().orElse(null));
        List<String> profiles = ConfigUtils.getProfiles();
        return new ReconnectCountingKeyBackend(
                KeyBackends.open(settings, profiles.isEmpty() ? "prod" : profiles.get(0)), metrics);
    }

    /** Reads the PIN when a login needs it, so a reconnection picks up a rotated PIN file. */
    private static Supplier<char[]> pin(HsmConfig config) {
        return () -> {
            if (config.pin().isPresent() && !config.pin().get().isEmpty()) {
                return config.pin().get().toCharArray();
            }
            if (config.pinFile().isPresent()) {
                try {
                    return Files.readString(config.pinFile().get(), StandardCharsets.UTF_8)
                            .strip()
                            .toCharArray();
                } catch (IOException e) {
                    throw new KeyBackendException(
                            "cannot read imprint.hsm.pin-file "
                                    + config.pinFile().get(),
                            null);
                }
            }
            throw new KeyBackendException("no HSM PIN: set IMPRINT_HSM_PIN or IMPRINT_HSM_PIN_FILE", null);
        };
    }
}
