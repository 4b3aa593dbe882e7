package io.imprint.service;

import io.imprint.pki.keys.CaKey;
import io.imprint.pki.keys.KeyBackend;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * The service's key backend, counting the token errors it had to recover from: every caller that sees a signing or
 * key read fail asks the backend to log in again ({@link KeyBackend#reconnect}), so {@code imprint_hsm_reconnects_total}
 * counts the failures a network HSM or a flaky token causes even when the retry then succeeds and readiness never
 * drops. Served at zero from the start, so an alert sees its first increase.
 */
final class ReconnectCountingKeyBackend implements KeyBackend {
    private final KeyBackend backend;
    private final Counter reconnects;

    ReconnectCountingKeyBackend(KeyBackend backend, MeterRegistry metrics) {
        this.backend = backend;
        this.reconnects = Counter.builder("imprint.hsm.reconnects")
                .description("token errors that made this service log in to the token again")
                .register(metrics);
    }

    @Override
    public CaKey key(String alias) {
        return backend.key(alias);
    }

    @Override
    public boolean contains(String alias) {
        return backend.contains(alias);
    }

    @Override
    public String description() {
        return backend.description();
    }

    @Override
    public long generation() {
        return backend.generation();
    }

    @Override
    public void reconnect(long failedGeneration) {
        reconnects.increment();
        backend.reconnect(failedGeneration);
    }
}
