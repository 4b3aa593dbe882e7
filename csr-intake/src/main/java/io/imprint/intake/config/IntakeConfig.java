package io.imprint.intake.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;

/** csr-intake settings. */
@ConfigMapping(prefix = "imprint.intake")
public interface IntakeConfig {
    /** PEM certificate of the station CA that station credentials must chain to (exported by the CA ceremony). */
    Path stationCa();

    /** Certificate profile the signer applies to accepted requests. */
    @WithDefault("idevid")
    String profile();
}
