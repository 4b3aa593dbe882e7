package io.imprint.pki.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import org.junit.jupiter.api.Test;

class AuditChainTest {
    @Test
    void eachLinkDependsOnThePreviousHashTypeAndPayload() {
        String first = AuditChain.link(AuditChain.GENESIS, "imprint.cert.issued", "{\"a\":1}");
        assertEquals(64, first.length());
        assertEquals(first, AuditChain.link(AuditChain.GENESIS, "imprint.cert.issued", "{\"a\":1}"));
        assertNotEquals(first, AuditChain.link(AuditChain.GENESIS, "imprint.cert.issued", "{\"a\":2}"));
        assertNotEquals(first, AuditChain.link(AuditChain.GENESIS, "imprint.cert.revoked", "{\"a\":1}"));
        assertNotEquals(first, AuditChain.link(first, "imprint.cert.issued", "{\"a\":1}"));
    }
}
