package io.imprint.intake.service;

import io.imprint.contracts.ReasonCode;
import io.imprint.intake.config.IntakeConfig;
import io.imprint.intake.persistence.IntakeStore;
import io.imprint.pki.RequestRejectedException;
import io.imprint.pki.station.AuthenticatedStation;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Set;

/**
 * Revoked station certificates, re-read from the database at most every
 * {@code imprint.intake.station-revocation-refresh} (default one second), so a revocation made through any
 * intake instance stops a stolen station on all of them within that time.
 */
@ApplicationScoped
public class StationRevocations {
    private final IntakeStore store;
    private final long refreshNanos;
    private volatile Set<String> revoked = Set.of();
    private volatile long loadedAt = Long.MIN_VALUE / 2;

    public StationRevocations(IntakeStore store, IntakeConfig config) {
        this.store = store;
        this.refreshNanos = config.stationRevocationRefresh().toNanos();
    }

    public void check(AuthenticatedStation station) throws RequestRejectedException {
        if (current().contains(station.certificateSerial())) {
            throw new RequestRejectedException(ReasonCode.STATION_REVOKED, "station certificate "
                    + station.certificateSerial() + " of " + station.identity().factoryId() + "/"
                    + station.identity().stationId() + " has been revoked");
        }
    }

    /** Forces the next check to re-read, so the instance that took a revocation applies it at once. */
    public void invalidate() {
        loadedAt = System.nanoTime() - refreshNanos - 1;
    }

    private Set<String> current() {
        if (System.nanoTime() - loadedAt > refreshNanos) {
            synchronized (this) {
                if (System.nanoTime() - loadedAt > refreshNanos) {
                    revoked = Set.copyOf(Await.result(store::revokedStationSerials));
                    loadedAt = System.nanoTime();
                }
            }
        }
        return revoked;
    }

}
