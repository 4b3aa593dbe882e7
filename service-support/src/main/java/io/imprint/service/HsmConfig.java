package io.imprint.service;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The PKCS#11 token a service signs with (signer: issuing CA; revocation: OCSP responder). Set the PIN
 * through the environment ({@code IMPRINT_HSM_PIN}) or a mounted file ({@code IMPRINT_HSM_PIN_FILE}), never
 * in a committed file.
 */
@ConfigMapping(prefix = "imprint.hsm")
public interface HsmConfig {
    /** The vendor's PKCS#11 library; default SoftHSM2 from Debian's package. */
    @WithDefault("/usr/lib/softhsm/libsofthsm2.so")
    Path library();

    /** Index of the token's slot in the library's slot list. */
    @WithDefault("0")
    int slotListIndex();

    /** The token user PIN. */
    Optional<String> pin();

    /** A file holding the token user PIN, used when {@link #pin()} is not set. */
    Optional<Path> pinFile();
}
