package io.imprint.service;

import io.imprint.pki.keys.KeyBackendException;
import io.imprint.pki.keys.Pkcs11Config;
import io.imprint.pki.keys.Pkcs11KeyBackend;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;

/** Opens the token once per process; a service that cannot reach its token fails at start-up with a reason. */
@ApplicationScoped
public class KeyBackendProducer {

    @Produces
    @ApplicationScoped
    Pkcs11KeyBackend token(HsmConfig config) {
        return new Pkcs11KeyBackend(new Pkcs11Config(config.library(), config.slotListIndex()), pin(config));
    }

    private static char[] pin(HsmConfig config) {
        if (config.pin().isPresent() && !config.pin().get().isEmpty()) {
            return config.pin().get().toCharArray();
        }
        if (config.pinFile().isPresent()) {
            try {
                return Files.readString(config.pinFile().get(), StandardCharsets.UTF_8).strip().toCharArray();
            } catch (IOException e) {
                throw new KeyBackendException("cannot read imprint.hsm.pin-file " + config.pinFile().get(), null);
            }
        }
        throw new KeyBackendException("no HSM PIN: set IMPRINT_HSM_PIN or IMPRINT_HSM_PIN_FILE", null);
    }
}
