package io.imprint.contracts.events;

import io.imprint.contracts.RevocationReason;
import java.time.Instant;

/** One revoked certificate in a CRL sign request. */
public record CrlEntry(String serialNumber, Instant revokedAt, RevocationReason reason) {
    public CrlEntry {
        Require.text(serialNumber, "entries[].serialNumber");
        Require.present(revokedAt, "entries[].revokedAt");
        Require.present(reason, "entries[].reason");
    }
}
