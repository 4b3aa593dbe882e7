package io.imprint.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.imprint.pki.keys.SoftwareKeyBackend;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

class ReconnectCountingKeyBackendTest {
    @Test
    void servedAtZeroThenCountsEveryRecoveryAskedOfTheToken() {
        SimpleMeterRegistry metrics = new SimpleMeterRegistry();
        SoftwareKeyBackend token = SoftwareKeyBackend.holding();
        ReconnectCountingKeyBackend counted = new ReconnectCountingKeyBackend(token, metrics);
        assertEquals(0.0, metrics.get("imprint.hsm.reconnects").counter().count());

        counted.reconnect(counted.generation());
        counted.reconnect(counted.generation());
        assertEquals(2.0, metrics.get("imprint.hsm.reconnects").counter().count());
        assertEquals(token.description(), counted.description());
        assertFalse(counted.contains("issuing-ca"));
    }
}
