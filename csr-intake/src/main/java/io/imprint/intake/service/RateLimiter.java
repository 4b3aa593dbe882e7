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
import java.util.function.Function;
import java.util.function.IntPredicate;

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
     * As {@link #take} for a batch's requests, in order, with one statement per kind of bucket whatever the
     * count: each factory's bucket gives up to what its requests want, the first of them getting it; then each
     * station's bucket likewise among those that passed, a refused request's factory token going back.
     */
    public List<Verdict> takeAll(List<StationIdentity> stations) {
        int n = stations.size();
        boolean[] passedFactory = new boolean[n];
        Map<String, Integer> factoryGiven = given(stations, i -> true, RateLimiter::factoryBucket, this::factoryLimit);
        for (int i = 0; i < n; i++) {
            passedFactory[i] = spend(factoryGiven, factoryBucket(stations.get(i)));
        }
        Map<String, Integer> stationGiven =
                given(stations, i -> passedFactory[i], RateLimiter::stationBucket, this::stationLimit);
        List<Verdict> verdicts = new ArrayList<>(n);
        Map<String, IntakeBatchStore.Draw> returns = new LinkedHashMap<>();
        for (int i = 0; i < n; i++) {
            StationIdentity station = stations.get(i);
            if (!passedFactory[i]) {
                verdicts.add(new Verdict(null, factoryRefusal(station, factoryLimit(station))));
            } else if (!spend(stationGiven, stationBucket(station))) {
                add(returns, factoryBucket(station), factoryLimit(station));
                verdicts.add(new Verdict(null, stationRefusal(station, stationLimit(station))));
            } else {
                verdicts.add(new Verdict(
                        new Taken(
                                factoryBucket(station),
                                factoryLimit(station).burst(),
                                stationBucket(station),
                                stationLimit(station).burst()),
                        null));
            }
        }
        Await.result(() -> batches.returnTokens(List.copyOf(returns.values())));
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

    private Map<String, Integer> given(
            List<StationIdentity> stations,
            IntPredicate included,
            Function<StationIdentity, String> bucket,
            Function<StationIdentity, Limit> limit) {
        Map<String, IntakeBatchStore.Draw> draws = new LinkedHashMap<>();
        for (int i = 0; i < stations.size(); i++) {
            if (included.test(i)) {
                add(draws, bucket.apply(stations.get(i)), limit.apply(stations.get(i)));
            }
        }
        if (draws.isEmpty()) {
            return new HashMap<>();
        }
        return new HashMap<>(Await.result(() -> batches.takeTokens(List.copyOf(draws.values()))));
    }

    private static void add(Map<String, IntakeBatchStore.Draw> draws, String bucket, Limit limit) {
        draws.merge(
                bucket,
                new IntakeBatchStore.Draw(bucket, 1, limit.perSecond(), limit.burst()),
                (a, b) -> new IntakeBatchStore.Draw(bucket, a.wanted() + 1, a.perSecond(), a.burst()));
    }

    /** Spends one of the tokens a bucket gave; false when it gave no more. */
    private static boolean spend(Map<String, Integer> given, String bucket) {
        int left = given.getOrDefault(bucket, 0);
        if (left == 0) {
            return false;
        }
        given.put(bucket, left - 1);
        return true;
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
