package io.imprint.service;

import io.imprint.pki.keys.KeyBackend;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import java.util.List;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Ready only while the token answers. Services without a token report nothing here. */
@Readiness
@ApplicationScoped
public class HsmHealthCheck implements HealthCheck {
    private final Instance<HsmKeys> keys;

    public HsmHealthCheck(Instance<HsmKeys> keys) {
        this.keys = keys;
    }

    @Override
    public HealthCheckResponse call() {
        if (keys.isUnsatisfied()) {
            return HealthCheckResponse.named("hsm").up().withData("used", false).build();
        }
        HsmKeys required = keys.get();
        try {
            KeyBackend token = required.token();
            for (String alias : required.aliases()) {
                if (!token.contains(alias)) {
                    return HealthCheckResponse.named("hsm")
                            .down()
                            .withData("missing-key", alias)
                            .build();
                }
            }
            return HealthCheckResponse.named("hsm")
                    .up()
                    .withData("backend", token.description())
                    .withData("keys", String.join(",", required.aliases()))
                    .build();
        } catch (RuntimeException e) {
            return HealthCheckResponse.named("hsm")
                    .down()
                    .withData("error", e.getClass().getSimpleName())
                    .build();
        }
    }

    /** A service that signs declares which token keys it needs. */
    public interface HsmKeys {
        KeyBackend token();

        List<String> aliases();
    }
}
