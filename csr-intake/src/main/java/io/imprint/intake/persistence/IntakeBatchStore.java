package io.imprint.intake.persistence;

import io.imprint.contracts.EventCodec;
import io.imprint.contracts.events.CsrAcceptedV1;
import io.imprint.contracts.events.CsrChallengedV1;
import io.imprint.contracts.events.CsrRejectedV1;
import io.imprint.contracts.events.CsrSubmittedV1;
import io.imprint.contracts.events.ImprintEvent;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * The intake schema's set-based statements, one per step whatever the number of requests, so a poll of
 * submissions costs a handful of round trips instead of a dozen per request. Each keeps the guarantee of its
 * one-request counterpart in {@link IntakeStore}: a request id is claimed once, a bucket never goes below zero, a
 * quota slot goes to one request, a device is decided by one transaction at a time.
 */
@ApplicationScoped
public class IntakeBatchStore {
    /** A draw of up to {@code wanted} tokens from a bucket refilling at {@code perSecond} up to {@code burst}. */
    public record Draw(String bucket, int wanted, double perSecond, int burst) {}

    /** Creates buckets not seen yet, full. */
    private static final String CREATE_BUCKETS = """
            INSERT INTO intake.rate_bucket (bucket, tokens, refilled_at)
            SELECT w.bucket, w.burst, clock_timestamp()
            FROM unnest(CAST(:buckets AS text[]), CAST(:bursts AS double precision[])) AS w (bucket, burst)
            ON CONFLICT (bucket) DO NOTHING""";

    /**
     * Takes from each bucket what it has, up to what is wanted, refilled to now, and says how many it gave; a
     * bucket not created yet gives no row. The rows are locked in bucket order (so two instances never wait on each
     * other in a cycle) and read as they are once locked, so a concurrent draw is never counted twice. One
     * statement, committed on its own, so a hot factory row is locked only while it runs; buckets are soft state,
     * so its commit does not wait for the WAL flush.
     */
    private static final String TAKE_TOKENS = """
            WITH soft AS (SELECT set_config('synchronous_commit', 'off', true)),
            wanted AS (
              SELECT * FROM unnest(CAST(:buckets AS text[]), CAST(:wanted AS integer[]),
                CAST(:rates AS double precision[]), CAST(:bursts AS double precision[])) AS w (bucket, wanted, rate, burst)),
            now_held AS MATERIALIZED (
              SELECT b.bucket, w.wanted, LEAST(w.burst, b.tokens + w.rate
                * CAST(EXTRACT(EPOCH FROM clock_timestamp() - b.refilled_at) AS double precision)) AS available
              FROM intake.rate_bucket b JOIN wanted w ON w.bucket = b.bucket
              ORDER BY b.bucket FOR UPDATE OF b)
            UPDATE intake.rate_bucket b
            SET tokens = h.available - LEAST(h.wanted, floor(GREATEST(h.available, 0))), refilled_at = clock_timestamp()
            FROM now_held h, soft WHERE b.bucket = h.bucket
            RETURNING b.bucket, CAST(LEAST(h.wanted, floor(GREATEST(h.available, 0))) AS integer)""";

    /** Draws from every bucket at once; the tokens each bucket gave. A bucket seen for the first time is made full. */
    public Uni<Map<String, Integer>> takeTokens(List<Draw> draws) {
        return Panache.withSession(() -> draw(draws)).chain(given -> {
            List<Draw> missing =
                    draws.stream().filter(d -> !given.containsKey(d.bucket())).toList();
            if (missing.isEmpty()) {
                return Uni.createFrom().item(given);
            }
            return Panache.withSession(() -> Panache.getSession()
                            .chain(s -> s.createNativeQuery(CREATE_BUCKETS)
                                    .setParameter(
                                            "buckets",
                                            missing.stream().map(Draw::bucket).toArray(String[]::new))
                                    .setParameter(
                                            "bursts",
                                            missing.stream()
                                                    .map(d -> (double) d.burst())
                                                    .toArray(Double[]::new))
                                    .executeUpdate()))
                    .chain(() -> Panache.withSession(() -> draw(missing)))
                    .map(created -> {
                        Map<String, Integer> all = new LinkedHashMap<>(given);
                        all.putAll(created);
                        return all;
                    });
        });
    }

    private static Uni<Map<String, Integer>> draw(List<Draw> draws) {
        return Panache.getSession()
                .chain(s -> s.createNativeQuery(TAKE_TOKENS, Object[].class)
                        .setParameter(
                                "buckets", draws.stream().map(Draw::bucket).toArray(String[]::new))
                        .setParameter("wanted", draws.stream().map(Draw::wanted).toArray(Integer[]::new))
                        .setParameter(
                                "rates", draws.stream().map(Draw::perSecond).toArray(Double[]::new))
                        .setParameter(
                                "bursts",
                                draws.stream().map(d -> (double) d.burst()).toArray(Double[]::new))
                        .getResultList())
                .map(rows -> {
                    Map<String, Integer> given = new LinkedHashMap<>();
                    rows.forEach(r -> given.put((String) r[0], ((Number) r[1]).intValue()));
                    return given;
                });
    }

    /** Gives back tokens taken for requests that turned out not to count (refused by another bucket, redelivered). */
    public Uni<Void> returnTokens(List<Draw> returns) {
        if (returns.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return Panache.withSession(() -> Panache.getSession()
                        .chain(s -> s.createNativeQuery("""
                WITH soft AS (SELECT set_config('synchronous_commit', 'off', true))
                UPDATE intake.rate_bucket b SET tokens = LEAST(r.burst, b.tokens + r.returned)
                FROM unnest(CAST(:buckets AS text[]), CAST(:returned AS double precision[]),
                  CAST(:bursts AS double precision[])) AS r (bucket, returned, burst), soft
                WHERE b.bucket = r.bucket""")
                                .setParameter(
                                        "buckets",
                                        returns.stream().map(Draw::bucket).toArray(String[]::new))
                                .setParameter(
                                        "returned",
                                        returns.stream()
                                                .map(d -> (double) d.wanted())
                                                .toArray(Double[]::new))
                                .setParameter(
                                        "bursts",
                                        returns.stream()
                                                .map(d -> (double) d.burst())
                                                .toArray(Double[]::new))
                                .executeUpdate()))
                .replaceWithVoid();
    }

    /** A request to claim: the submission and where its record was read. */
    public record Claim(CsrSubmittedV1 submission, String source) {}

    /** Claims the request ids never seen before, in the caller's transaction; the ids this call claimed. */
    public Uni<Set<String>> claimRequests(List<Claim> claims, Instant now) {
        return Panache.getSession()
                .chain(s -> s.createNativeQuery("""
                INSERT INTO intake.intake_request (request_id, device_id, factory_id, station_id, order_id, source,
                  accepted, decision_event, decided_at)
                SELECT c.request_id, c.device_id, c.factory_id, c.station_id, c.order_id, c.source, false, '', :now
                FROM unnest(CAST(:requests AS text[]), CAST(:devices AS text[]), CAST(:factories AS text[]),
                  CAST(:stations AS text[]), CAST(:orders AS text[]), CAST(:sources AS text[]))
                  AS c (request_id, device_id, factory_id, station_id, order_id, source)
                ON CONFLICT (request_id) DO NOTHING
                RETURNING request_id""", String.class)
                        .setParameter(
                                "requests", column(claims, c -> c.submission().requestId()))
                        .setParameter(
                                "devices", column(claims, c -> c.submission().deviceId()))
                        .setParameter(
                                "factories", column(claims, c -> c.submission().factoryId()))
                        .setParameter(
                                "stations", column(claims, c -> c.submission().stationId()))
                        .setParameter(
                                "orders", column(claims, c -> c.submission().orderId()))
                        .setParameter("sources", column(claims, Claim::source))
                        .setParameter("now", now)
                        .getResultList())
                .map(HashSet::new);
    }

    public Uni<List<IntakeRequestEntity>> requests(Collection<String> requestIds) {
        return byIds("FROM IntakeRequestEntity WHERE requestId IN (:ids)", IntakeRequestEntity.class, requestIds);
    }

    public Uni<List<ProductionOrderEntity>> orders(Collection<String> orderIds) {
        return byIds("FROM ProductionOrderEntity WHERE orderId IN (:ids)", ProductionOrderEntity.class, orderIds);
    }

    public Uni<List<ProvisionedDeviceEntity>> devices(Collection<String> deviceIds) {
        return byIds("FROM ProvisionedDeviceEntity WHERE deviceId IN (:ids)", ProvisionedDeviceEntity.class, deviceIds);
    }

    /** The manifest entries ({@link ManifestEntryEntity#id}) among {@code entryIds}. */
    public Uni<Set<String>> listedInManifests(Collection<String> entryIds) {
        if (entryIds.isEmpty()) {
            return Uni.createFrom().item(Set.of());
        }
        return Panache.getSession()
                .chain(s -> s.createQuery(
                                "SELECT entryId FROM ManifestEntryEntity WHERE entryId IN (:ids)", String.class)
                        .setParameter("ids", entryIds)
                        .getResultList())
                .map(HashSet::new);
    }

    private static <T> Uni<List<T>> byIds(String query, Class<T> type, Collection<String> ids) {
        if (ids.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        return Panache.getSession()
                .chain(s -> s.createQuery(query, type).setParameter("ids", ids).getResultList());
    }

    /**
     * Serialises requests for these devices until the transaction ends, as {@link IntakeStore#lockDevice} does
     * for one (same lock keys), taking the locks in key order so two batches never wait on each other in a cycle.
     */
    public Uni<Void> lockDevices(Collection<String> deviceIds) {
        if (deviceIds.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return Panache.getSession()
                .chain(s -> s.createNativeQuery("""
                SELECT count(pg_advisory_xact_lock(k)) FROM (
                  SELECT DISTINCT hashtextextended(d, 0) AS k FROM unnest(CAST(:ids AS text[])) AS d ORDER BY 1) AS sorted""")
                        .setParameter("ids", deviceIds.toArray(String[]::new))
                        .getSingleResult())
                .replaceWithVoid();
    }

    /**
     * Gives free slots of the order to the requests, in their order, skipping slots other transactions hold; the
     * requests that got one. Fewer than asked means the rest must wait for held slots ({@link IntakeStore#claimSlot}).
     */
    public Uni<Set<String>> claimFreeSlots(String orderId, List<String> requestIds) {
        return Panache.getSession()
                .chain(s -> s.createNativeQuery("""
                WITH free AS MATERIALIZED (
                  SELECT slot_id, row_number() OVER () AS n FROM (
                    SELECT slot_id FROM intake.quota_slot WHERE order_id = :orderId AND request_id IS NULL
                    LIMIT :wanted FOR UPDATE SKIP LOCKED) AS unheld),
                asking AS (SELECT r, n FROM unnest(CAST(:requests AS text[])) WITH ORDINALITY AS a (r, n))
                UPDATE intake.quota_slot q SET request_id = asking.r
                FROM free JOIN asking ON asking.n = free.n
                WHERE q.slot_id = free.slot_id
                RETURNING q.request_id""", String.class)
                        .setParameter("orderId", orderId)
                        .setParameter("wanted", requestIds.size())
                        .setParameter("requests", requestIds.toArray(String[]::new))
                        .getResultList())
                .map(HashSet::new);
    }

    /** Records the accepted devices (each at most once in the list), as {@link IntakeStore#saveDevice} does. */
    public Uni<Void> saveDevices(List<CsrSubmittedV1> accepted, Instant now) {
        if (accepted.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return Panache.getSession()
                .chain(s -> s.createNativeQuery("""
                INSERT INTO intake.provisioned_device AS d (device_id, order_id, request_id, accepted_at,
                  times_provisioned)
                SELECT a.device_id, a.order_id, a.request_id, :now, 1
                FROM unnest(CAST(:devices AS text[]), CAST(:orders AS text[]), CAST(:requests AS text[]))
                  AS a (device_id, order_id, request_id)
                ON CONFLICT (device_id) DO UPDATE SET order_id = EXCLUDED.order_id,
                  request_id = EXCLUDED.request_id, accepted_at = EXCLUDED.accepted_at,
                  times_provisioned = d.times_provisioned + 1""")
                        .setParameter("devices", column(accepted, CsrSubmittedV1::deviceId))
                        .setParameter("orders", column(accepted, CsrSubmittedV1::orderId))
                        .setParameter("requests", column(accepted, CsrSubmittedV1::requestId))
                        .setParameter("now", now)
                        .executeUpdate())
                .replaceWithVoid();
    }

    /** Stores every decision with its claimed request, as {@link IntakeStore#recordDecision} does for one. */
    public Uni<Void> recordDecisions(List<ImprintEvent> decisions, Instant now) {
        if (decisions.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return Panache.getSession()
                .chain(s -> s.createNativeQuery("""
                UPDATE intake.intake_request r SET accepted = d.accepted, reason = d.reason, serial = d.serial,
                  challenged = d.challenged, decision_event = d.event, decided_at = :now
                FROM unnest(CAST(:requests AS text[]), CAST(:accepted AS boolean[]), CAST(:reasons AS text[]),
                  CAST(:serials AS text[]), CAST(:challenged AS boolean[]), CAST(:events AS text[]))
                  AS d (request_id, accepted, reason, serial, challenged, event)
                WHERE r.request_id = d.request_id""")
                        .setParameter("requests", column(decisions, ImprintEvent::requestId))
                        .setParameter("accepted", flags(decisions, CsrAcceptedV1.class))
                        .setParameter(
                                "reasons",
                                column(
                                        decisions,
                                        e -> e instanceof CsrRejectedV1 r
                                                ? r.reason().name()
                                                : null))
                        .setParameter(
                                "serials", column(decisions, e -> e instanceof CsrAcceptedV1 a ? a.serial() : null))
                        .setParameter("challenged", flags(decisions, CsrChallengedV1.class))
                        .setParameter(
                                "events",
                                column(decisions, e -> new String(EventCodec.encode(e), StandardCharsets.UTF_8)))
                        .setParameter("now", now)
                        .executeUpdate())
                .replaceWithVoid();
    }

    private static Boolean[] flags(List<ImprintEvent> decisions, Class<? extends ImprintEvent> kind) {
        return decisions.stream().map(kind::isInstance).toArray(Boolean[]::new);
    }

    private static <T> String[] column(List<T> rows, Function<T, String> value) {
        return rows.stream().map(value).toArray(String[]::new);
    }
}
