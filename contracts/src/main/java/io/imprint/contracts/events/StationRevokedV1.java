package io.imprint.contracts.events;

import java.time.Instant;

/**
 * An operator revoked a factory station's certificate at csr-intake (a stolen or retired gateway): every intake
 * instance refuses the station from then on. Signed by csr-intake; audit logs it.
 *
 * @param requestId {@code station-revoked-<serial>}: a station is revoked once, the same revocation sent twice is one
 * @param serialNumber the station certificate's serial, lower-case hex
 * @param comment why, as the operator gave it; may be null
 * @param operator who revoked it, as authenticated by csr-intake
 */
public record StationRevokedV1(
        String requestId, String serialNumber, String comment, String operator, Instant revokedAt)
        implements ImprintEvent {
    public StationRevokedV1 {
        Require.text(requestId, "requestId");
        Require.text(serialNumber, "serialNumber");
        Require.text(operator, "operator");
        Require.present(revokedAt, "revokedAt");
    }

    /** The event of the revocation of the station certificate {@code serialNumber}. */
    public static StationRevokedV1 of(String serialNumber, String comment, String operator, Instant revokedAt) {
        return new StationRevokedV1("station-revoked-" + serialNumber, serialNumber, comment, operator, revokedAt);
    }
}
