package io.imprint.intake.service;

import io.imprint.contracts.ReasonCode;
import io.imprint.intake.config.IntakeConfig;
import io.imprint.intake.persistence.IntakeStore;
import io.imprint.pki.RequestRejectedException;
import io.imprint.pki.station.StationIdentity;
import io.imprint.service.Await;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;

/**
 * Token buckets per factory and per station, kept in PostgreSQL so every intake instance draws from the
 * same buckets. Over the limit is a rejection naming the limit, never a silent delay: the station decides
 * when to retry. A request takes the factory's token first and gives it back if its station's bucket is empty.
 */
@ApplicationScoped
public class RateLimiter {
    private final IntakeStore store;
    private final IntakeConfig.RateLimits config;

    public RateLimiter(IntakeStore store, IntakeConfig config) {
        this.store = store;
        this.config = config.rateLimits();
    }

    record Limit(double perSecond, int burst) {
        String describe() {
            return perSecond + " requests/s with bursts of " + burst;
        }
    }

    /** The tokens one request took, so they can be given back if the request turns out to be a redelivery. */
    public record Taken(String factoryBucket, int factoryBurst, String stationBucket, int stationBurst) {}

    public Taken take(StationIdentity station) throws RequestRejectedException {
        Optional<IntakeConfig.FactoryOverride> override =
                Optional.ofNullable(config.factories().get(station.factoryId()));
        Limit factory = new Limit(
                override.flatMap(IntakeConfig.FactoryOverride::factoryPerSecond).orElse(config.factoryPerSecond()),
                override.flatMap(IntakeConfig.FactoryOverride::factoryBurst).orElse(config.factoryBurst()));
        Limit perStation = new Limit(
                override.flatMap(IntakeConfig.FactoryOverride::stationPerSecond).orElse(config.stationPerSecond()),
                override.flatMap(IntakeConfig.FactoryOverride::stationBurst).orElse(config.stationBurst()));
        String factoryBucket = "factory:" + station.factoryId();
        String stationBucket = "station:" + station.factoryId() + "/" + station.stationId();
        if (!Await.result(() -> store.takeToken(factoryBucket, factory.perSecond(), factory.burst()))) {
            throw new RequestRejectedException(
                    ReasonCode.RATE_LIMITED,
                    "factory " + station.factoryId() + " is over its limit of " + factory.describe()
                            + "; retry later under a new requestId");
        }
        if (!Await.result(() -> store.takeToken(stationBucket, perStation.perSecond(), perStation.burst()))) {
            Await.result(() -> store.returnToken(factoryBucket, factory.burst()));
            throw new RequestRejectedException(
                    ReasonCode.RATE_LIMITED,
                    "station " + station.stationId() + " is over its limit of " + perStation.describe()
                            + "; retry later under a new requestId");
        }
        return new Taken(factoryBucket, factory.burst(), stationBucket, perStation.burst());
    }

    /**
     * Gives back a redelivered record's tokens: Kafka delivers at least once (a rebalance can hand a record
     * another instance was deciding), and a record decided once must count once against the limits.
     */
    public void giveBack(Taken taken) {
        Await.result(() -> store.returnToken(taken.factoryBucket(), taken.factoryBurst()));
        Await.result(() -> store.returnToken(taken.stationBucket(), taken.stationBurst()));
    }
}
