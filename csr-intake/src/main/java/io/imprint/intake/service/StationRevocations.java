package io.imprint.intake.service;

import io.imprint.contracts.ReasonCode;
import io.imprint.contracts.events.StationRevokedV1;
import io.imprint.intake.config.IntakeConfig;
import io.imprint.intake.persistence.IntakeStore;
import io.imprint.intake.persistence.RevokedStationEntity;
import io.imprint.pki.RequestRejectedException;
import io.imprint.pki.station.AuthenticatedStation;
import io.imprint.service.Await;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.jboss.logging.Logger;

/**
 * Revoked station certificates, re-read from the database at most every
 * {@code imprint.intake.station-revocation-refresh} (default one second), so a revocation made through any
 * intake instance stops a stolen station on all of them within that time.
 */
@ApplicationScoped
public class StationRevocations {
    private static final Logger LOG = Logger.getLogger(StationRevocations.class);
    private static final int MAX_COMMENT = 512;
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
            throw new RequestRejectedException(
                    ReasonCode.STATION_REVOKED,
                    "station certificate "
                            + station.certificateSerial() + " of "
                            + station.identity().factoryId() + "/"
                            + station.identity().stationId() + " has been revoked");
        }
    }

    public record StationRevocation(String serialNumber, String comment, Instant revokedAt, String revokedBy) {
        static StationRevocation of(RevokedStationEntity e) {
            return new StationRevocation(e.serialNumber, e.comment, e.revokedAt, e.revokedBy);
        }
    }

    /**
     * What a revocation call did.
     *
     * @param created false when the station was revoked before: the earlier revocation stands
     */
    public record Outcome(StationRevocation revocation, boolean created) {}

    /**
     * Revokes a station certificate; this instance refuses the station at once, the others within the refresh.
     * Audit is told through the outbox.
     *
     * @param serial the certificate's serial as {@code Serials.hex} writes it
     */
    public Uni<Outcome> revoke(String serial, String comment, String operator) {
        return Panache.withTransaction(() -> store.find(RevokedStationEntity.class, serial)
                        .chain(existing -> {
                            if (existing != null) {
                                return Uni.createFrom().item(new Outcome(StationRevocation.of(existing), false));
                            }
                            RevokedStationEntity revoked = new RevokedStationEntity();
                            revoked.serialNumber = serial;
                            revoked.comment = comment == null
                                    ? null
                                    : comment.substring(0, Math.min(MAX_COMMENT, comment.length()));
                            revoked.revokedAt = Instant.now();
                            revoked.revokedBy = operator;
                            // Audit learns of it from the outbox, committed with the revocation.
                            StationRevokedV1 event =
                                    StationRevokedV1.of(serial, revoked.comment, operator, revoked.revokedAt);
                            return store.persist(revoked)
                                    .chain(() -> store.recordEvent(event, serial, revoked.revokedAt))
                                    .map(v -> {
                                        LOG.infof("%s revoked station certificate %s", operator, serial);
                                        return new Outcome(StationRevocation.of(revoked), true);
                                    });
                        }))
                .invoke(this::invalidate);
    }

    public Uni<List<StationRevocation>> list() {
        return Panache.withSession(store::revokedStations)
                .map(list -> list.stream().map(StationRevocation::of).toList());
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
