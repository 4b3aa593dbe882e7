package io.imprint.intake.service;

import io.imprint.contracts.ReasonCode;
import io.imprint.intake.config.IntakeConfig;
import io.imprint.intake.persistence.IntakeBatchStore;
import io.imprint.intake.persistence.IntakeStore;
import io.imprint.pki.RequestRejectedException;
import io.imprint.pki.station.StationIdentity;
import io.imprint.service.Await;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Token buckets per factory and per station, kept in PostgreSQL so every intake instance draws from the
 * same buckets. Over the limit is a rejection naming the limit, never a silent delay: the station decides
 * when to retry. A request takes the factory's token first and gives it back if its station's bucket is empty.
 */
@ApplicationScoped
public class RateLimiter {
    private final IntakeStore store;
    private final IntakeBatchStore batches;
    private final IntakeConfig.RateLimits config;

    public RateLimiter(IntakeStore store, IntakeBatchStore batches, IntakeConfig config) {
        this.store = store;
        this.batches = batches;
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
        Limit factory = factoryLimit(station);
        Limit perStation = stationLimit(station);
        String factoryBucket = factoryBucket(station);
        String stationBucket = stationBucket(station);
        if (!Await.result(() -> store.takeToken(factoryBucket, factory.perSecond(), factory.burst()))) {
            throw factoryRefusal(station, factory);
        }
        if (!Await.result(() -> store.takeToken(stationBucket, perStation.perSecond(), perStation.burst()))) {
            Await.result(() -> store.returnToken(factoryBucket, factory.burst()));
            throw stationRefusal(station, perStation);
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

    /** What a rate limit made of one request of a batch: the tokens it took, or the refusal naming the limit. */
    public record Verdict(Taken taken, RequestRejectedException refused) {}

    /**
     * As {@link #take} for a batch's requests, in order, in one statement whatever the count: every factory and
     * station bucket of the batch gives up to what its requests want; a request passes when both of its buckets
     * have a token left for it, else it is refused naming the first that had none (the factory's, as {@link #take}
     * checks it first). Tokens given and not spent go back in a second statement, only when something was refused.
     */
    public List<Verdict> takeAll(List<StationIdentity> stations) {
        Map<String, IntakeBatchStore.Draw> draws = new LinkedHashMap<>();
        for (StationIdentity station : stations) {
            add(draws, factoryBucket(station), factoryLimit(station));
            add(draws, stationBucket(station), stationLimit(station));
        }
        Map<String, Integer> given = draws.isEmpty()
                ? new HashMap<>()
                : new HashMap<>(Await.result(() -> batches.takeTokens(List.copyOf(draws.values()))));
        List<Verdict> verdicts = new ArrayList<>(stations.size());
        for (StationIdentity station : stations) {
            String factory = factoryBucket(station);
            String own = stationBucket(station);
            if (given.getOrDefault(factory, 0) == 0) {
                verdicts.add(new Verdict(null, factoryRefusal(station, factoryLimit(station))));
            } else if (given.getOrDefault(own, 0) == 0) {
                verdicts.add(new Verdict(null, stationRefusal(station, stationLimit(station))));
            } else {
                given.merge(factory, -1, Integer::sum);
                given.merge(own, -1, Integer::sum);
                verdicts.add(new Verdict(
                        new Taken(
                                factory,
                                factoryLimit(station).burst(),
                                own,
                                stationLimit(station).burst()),
                        null));
            }
        }
        List<IntakeBatchStore.Draw> unspent = new ArrayList<>();
        given.forEach((bucket, left) -> {
            if (left > 0) {
                IntakeBatchStore.Draw drawn = draws.get(bucket);
                unspent.add(new IntakeBatchStore.Draw(bucket, left, drawn.perSecond(), drawn.burst()));
            }
        });
        if (!unspent.isEmpty()) {
            Await.result(() -> batches.returnTokens(unspent));
        }
        return verdicts;
    }

    /** As {@link #giveBack} for several requests, in one statement. */
    public void giveBackAll(List<Taken> taken) {
        Map<String, IntakeBatchStore.Draw> returns = new LinkedHashMap<>();
        for (Taken t : taken) {
            add(returns, t.factoryBucket(), new Limit(0, t.factoryBurst()));
            add(returns, t.stationBucket(), new Limit(0, t.stationBurst()));
        }
        Await.result(() -> batches.returnTokens(List.copyOf(returns.values())));
    }

    private static void add(Map<String, IntakeBatchStore.Draw> draws, String bucket, Limit limit) {
        draws.merge(
                bucket,
                new IntakeBatchStore.Draw(bucket, 1, limit.perSecond(), limit.burst()),
                (a, b) -> new IntakeBatchStore.Draw(bucket, a.wanted() + 1, a.perSecond(), a.burst()));
    }

    private Limit factoryLimit(StationIdentity station) {
        Optional<IntakeConfig.FactoryOverride> override = override(station);
        return new Limit(
                override.flatMap(IntakeConfig.FactoryOverride::factoryPerSecond).orElse(config.factoryPerSecond()),
                override.flatMap(IntakeConfig.FactoryOverride::factoryBurst).orElse(config.factoryBurst()));
    }

    private Limit stationLimit(StationIdentity station) {
        Optional<IntakeConfig.FactoryOverride> override = override(station);
        return new Limit(
                override.flatMap(IntakeConfig.FactoryOverride::stationPerSecond).orElse(config.stationPerSecond()),
                override.flatMap(IntakeConfig.FactoryOverride::stationBurst).orElse(config.stationBurst()));
    }

    private Optional<IntakeConfig.FactoryOverride> override(StationIdentity station) {
        return Optional.ofNullable(config.factories().get(station.factoryId()));
    }

    private static String factoryBucket(StationIdentity station) {
        return "factory:" + station.factoryId();
    }

    private static String stationBucket(StationIdentity station) {
        return "station:" + station.factoryId() + "/" + station.stationId();
    }

    private static RequestRejectedException factoryRefusal(StationIdentity station, Limit limit) {
        return new RequestRejectedException(
                ReasonCode.RATE_LIMITED,
                "factory " + station.factoryId() + " is over its limit of " + limit.describe()
                        + "; retry later under a new requestId");
    }

    private static RequestRejectedException stationRefusal(StationIdentity station, Limit limit) {
        return new RequestRejectedException(
                ReasonCode.RATE_LIMITED,
                "station " + station.stationId() + " is over its limit of " + limit.describe()
                        + "; retry later under a new requestId");
    }
}
