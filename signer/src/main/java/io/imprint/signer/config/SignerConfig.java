package io.imprint.signer.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/** signer settings. The token itself is {@code imprint.hsm.*}. */
@ConfigMapping(prefix = "imprint.signer")
public interface SignerConfig {
    /** Label of the issuing CA key and certificate in the token. */
    @WithDefault("issuing-ca")
    String issuingCaAlias();

    /** Certificate profiles by name; {@code csr.accepted} events name one. */
    Map<String, Profile> profiles();

    interface Profile {
        /** Certificate lifetime; absent means IEEE 802.1AR "no well-defined expiration" (99991231235959Z). */
        Optional<Duration> validity();

        /** CRL distribution point written into certificates. */
        URI crlUrl();

        /** OCSP responder URL written into certificates. */
        URI ocspUrl();
    }
}
