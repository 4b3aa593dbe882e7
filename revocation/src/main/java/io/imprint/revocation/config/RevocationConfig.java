package io.imprint.revocation.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** revocation settings. The token holding the OCSP responder key is {@code imprint.hsm.*}. */
@ConfigMapping(prefix = "imprint.revocation")
public interface RevocationConfig {
    /**
     * Bearer token operators present to revoke. No default: the service refuses to start without one
     * (set IMPRINT_REVOCATION_OPERATOR_TOKEN, at least 32 characters).
     */
    String operatorToken();

    /** Label of the delegated OCSP responder key in the token; its certificate is issued by the issuing CA. */
    @WithDefault("ocsp-responder")
    String ocspResponderAlias();

    /** How long a CRL is valid: nextUpdate = thisUpdate + this. */
    @WithDefault("PT24H")
    Duration crlValidity();

    /** How long an OCSP response may be cached: nextUpdate = thisUpdate + this. */
    @WithDefault("PT1H")
    Duration ocspValidity();

    /**
     * How often to check whether the CRL needs re-signing although nothing was revoked (due from half its
     * validity on), and how long to wait for the signer before asking again.
     */
    @WithDefault("PT5M")
    Duration crlCheckInterval();
}
