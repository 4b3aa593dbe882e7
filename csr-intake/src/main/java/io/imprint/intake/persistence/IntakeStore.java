package io.imprint.intake.persistence;

import io.imprint.contracts.EventCodec;
import io.imprint.contracts.EventType;
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
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The intake schema. Every statement that guards a limit (token buckets, quota slots, request ids, devices)
 * is a single conditional SQL statement, so concurrent intake instances cannot both pass the same check.
 */
@ApplicationScoped
public class IntakeStore {
    /**
     * One statement, committed on its own: the hot factory row is locked only while the statement runs. A
     * bucket is soft state (losing the last few takes in a database crash is harmless), so the statement
     * also turns off the WAL flush for its own commit.
     */
    private static final String TAKE_TOKEN = """
            WITH soft AS (SELECT set_config('synchronous_commit', 'off', true))
            INSERT INTO intake.rate_bucket AS b (bucket, tokens, refilled_at)
            SELECT :bucket, CAST(:burst AS double precision) - 1, clock_timestamp() FROM soft
            ON CONFLICT (bucket) DO UPDATE SET
              tokens = LEAST(CAST(:burst AS double precision), b.tokens + CAST(:rate AS double precision)
                       * CAST(EXTRACT(EPOCH FROM clock_timestamp() - b.refilled_at) AS double precision)) - 1,
              refilled_at = clock_timestamp()
            WHERE LEAST(CAST(:burst AS double precision), b.tokens + CAST(:rate AS double precision)
                  * CAST(EXTRACT(EPOCH FROM clock_timestamp() - b.refilled_at) AS double precision)) >= 1""";

    /** Takes one token from a bucket that refills at {@code perSecond} up to {@code burst}; false when empty. */
    public Uni<Boolean> takeToken(String bucket, double perSecond, int burst) {
        return Panache.withSession(() -> Panache.getSession()
                        .chain(s -> s.createNativeQuery(TAKE_TOKEN)
                                .setParameter("bucket", bucket)
                                .setParameter("burst", (double) burst)
                                .setParameter("rate", perSecond)
                                .executeUpdate()))
                .map(updated -> updated == 1);
    }

    /** Gives back a token taken for a request that another bucket then refused. */
    public Uni<Void> returnToken(String bucket, int burst) {
        return Panache.withSession(() -> Panache.getSession()
                        .chain(s -> s.createNativeQuery("""
                WITH soft AS (SELECT set_config('synchronous_commit', 'off', true))
                UPDATE intake.rate_bucket SET tokens = LEAST(CAST(:burst AS double precision), tokens + 1)
                FROM soft WHERE bucket = :bucket""")
                                .setParameter("bucket", bucket)
                                .setParameter("burst", (double) burst)
                                .executeUpdate()))
                .replaceWithVoid();
    }

    /** Claims the request id; false when it was claimed before (by this record or another). */
    public Uni<Boolean> claimRequest(CsrSubmittedV1 submission, String source, Instant now) {
        return Panache.getSession()
                .chain(s -> s.createNativeQuery("""
                INSERT INTO intake.intake_request (request_id, device_id, factory_id, station_id, order_id, source,
                  accepted, decision_event, decided_at)
                VALUES (:requestId, :deviceId, :factoryId, :stationId, :orderId, :source, false, '', :now)
                ON CONFLICT (request_id) DO NOTHING""")
                        .setParameter("requestId", submission.requestId())
                        .setParameter("deviceId", submission.deviceId())
                        .setParameter("factoryId", submission.factoryId())
                        .setParameter("stationId", submission.stationId())
                        .setParameter("orderId", submission.orderId())
                        .setParameter("source", source)
                        .setParameter("now", now)
                        .executeUpdate())
                .map(inserted -> inserted == 1);
    }

    public Uni<Void> recordDecision(String requestId, ImprintEvent decision, Instant now) {
        boolean accepted = decision instanceof CsrAcceptedV1;
        String reason = decision instanceof CsrRejectedV1 r ? r.reason().name() : null;
        String serial = decision instanceof CsrAcceptedV1 a ? a.serial() : null;
        return Panache.getSession()
                .chain(s -> s.createNativeQuery("""
                UPDATE intake.intake_request SET accepted = :accepted, reason = :reason, serial = :serial,
                  challenged = :challenged, decision_event = :event, decided_at = :now WHERE request_id = :requestId""")
                        .setParameter("accepted", accepted)
                        .setParameter("reason", reason)
                        .setParameter("serial", serial)
                        .setParameter("challenged", decision instanceof CsrChallengedV1)
                        .setParameter("event", new String(EventCodec.encode(decision), StandardCharsets.UTF_8))
                        .setParameter("now", now)
                        .setParameter("requestId", requestId)
                        .executeUpdate())
                .replaceWithVoid();
    }

    public Uni<IntakeRequestEntity> request(String requestId) {
        return Panache.getSession().chain(s -> s.find(IntakeRequestEntity.class, requestId));
    }

    public Uni<ProductionOrderEntity> order(String orderId) {
        return Panache.getSession().chain(s -> s.find(ProductionOrderEntity.class, orderId));
    }

    public Uni<Boolean> inManifest(String orderId, String fingerprint) {
        return Panache.getSession()
                .chain(s -> s.find(ManifestEntryEntity.class, ManifestEntryEntity.id(orderId, fingerprint)))
                .map(entry -> entry != null);
    }

    /** Serialises requests for one device id until the transaction ends (a new device has no row to lock). */
    public Uni<Void> lockDevice(String deviceId) {
        return Panache.getSession()
                .chain(s -> s.createNativeQuery(
                                "SELECT 1 FROM (SELECT pg_advisory_xact_lock(hashtextextended(:deviceId, 0))) AS locked")
                        .setParameter("deviceId", deviceId)
                        .getSingleResult())
                .replaceWithVoid();
    }

    public Uni<ProvisionedDeviceEntity> device(String deviceId) {
        return Panache.getSession().chain(s -> s.find(ProvisionedDeviceEntity.class, deviceId));
    }

    /** Makes the order's quantity of free slots. */
    public Uni<Void> createSlots(String orderId, int quantity) {
        return Panache.getSession()
                .chain(s -> s.createNativeQuery("""
                INSERT INTO intake.quota_slot (slot_id, order_id, slot_no)
                SELECT :orderId || '/' || g, :orderId, g FROM generate_series(1, :quantity) AS g""")
                        .setParameter("orderId", orderId)
                        .setParameter("quantity", quantity)
                        .executeUpdate())
                .replaceWithVoid();
    }

    /**
     * Claims one free slot of the order for the request; false when none is left. Free slots locked by
     * requests still deciding are skipped first; only when none is free does it wait for them, so a slot
     * released by a rolled-back request is still found.
     */
    public Uni<Boolean> claimSlot(String orderId, String requestId) {
        return claimSlot(orderId, requestId, "SKIP LOCKED")
                .chain(claimed -> claimed ? Uni.createFrom().item(true) : claimSlot(orderId, requestId, ""));
    }

    private Uni<Boolean> claimSlot(String orderId, String requestId, String lockMode) {
        return Panache.getSession()
                .chain(s -> s.createNativeQuery("""
                UPDATE intake.quota_slot SET request_id = :requestId WHERE slot_id = (
                  SELECT slot_id FROM intake.quota_slot WHERE order_id = :orderId AND request_id IS NULL
                  LIMIT 1 FOR UPDATE %s)""".formatted(lockMode))
                        .setParameter("orderId", orderId)
                        .setParameter("requestId", requestId)
                        .executeUpdate())
                .map(updated -> updated == 1);
    }

    /** Accepted requests per order, for the operator's view. */
    public Uni<Map<String, Long>> acceptedCounts(List<String> orderIds) {
        if (orderIds.isEmpty()) {
            return Uni.createFrom().item(Map.of());
        }
        return Panache.getSession()
                .chain(s -> s.createQuery(
                                "SELECT orderId, count(*) FROM QuotaSlotEntity "
                                        + "WHERE orderId IN (:ids) AND requestId IS NOT NULL GROUP BY orderId",
                                Object[].class)
                        .setParameter("ids", orderIds)
                        .getResultList())
                .map(rows -> rows.stream().collect(Collectors.toMap(r -> (String) r[0], r -> (Long) r[1])));
    }

    public Uni<Void> saveDevice(CsrSubmittedV1 submission, Instant now) {
        return Panache.getSession()
                .chain(s -> s.createNativeQuery("""
                INSERT INTO intake.provisioned_device AS d (device_id, order_id, request_id, accepted_at,
                  times_provisioned)
                VALUES (:deviceId, :orderId, :requestId, :now, 1)
                ON CONFLICT (device_id) DO UPDATE SET order_id = EXCLUDED.order_id,
                  request_id = EXCLUDED.request_id, accepted_at = EXCLUDED.accepted_at,
                  times_provisioned = d.times_provisioned + 1""")
                        .setParameter("deviceId", submission.deviceId())
                        .setParameter("orderId", submission.orderId())
                        .setParameter("requestId", submission.requestId())
                        .setParameter("now", now)
                        .executeUpdate())
                .replaceWithVoid();
    }

    /**
     * Marks the challenge answered by {@code requestId}; false when another request answered it first (the
     * row lock makes a concurrent second answer wait, then find it answered).
     */
    public Uni<Boolean> answerChallenge(String challengeId, String requestId) {
        return Panache.getSession()
                .chain(s -> s.createNativeQuery("""
                UPDATE intake.tpm_challenge SET answered_by = :requestId
                WHERE challenge_id = :challengeId AND answered_by IS NULL""")
                        .setParameter("challengeId", challengeId)
                        .setParameter("requestId", requestId)
                        .executeUpdate())
                .map(updated -> updated == 1);
    }

    public Uni<List<String>> revokedStationSerials() {
        return Panache.withSession(() -> Panache.getSession()
                .chain(s -> s.createQuery("SELECT serialNumber FROM RevokedStationEntity", String.class)
                        .getResultList()));
    }

    public Uni<Void> persist(Object entity) {
        return Panache.getSession().chain(s -> s.persist(entity));
    }

    public Uni<List<ProductionOrderEntity>> orders(String factoryId, Boolean open) {
        return Panache.getSession()
                .chain(s -> s.createQuery(
                                "FROM ProductionOrderEntity WHERE "
                                        + "(:factory IS NULL OR factoryId = :factory) AND (:open IS NULL OR open = :open) ORDER BY createdAt",
                                ProductionOrderEntity.class)
                        .setParameter("factory", factoryId)
                        .setParameter("open", open)
                        .getResultList());
    }

    public Uni<List<RevokedStationEntity>> revokedStations() {
        return Panache.getSession()
                .chain(s -> s.createQuery("FROM RevokedStationEntity ORDER BY revokedAt", RevokedStationEntity.class)
                        .getResultList());
    }

    /**
     * Puts the event in the outbox, in the caller's transaction, to go out keyed by {@code key}; an event already
     * there (same request id) stays as it is.
     */
    public Uni<Void> recordEvent(ImprintEvent event, String key, Instant at) {
        return Panache.getSession()
                .chain(s -> s.find(EventOutboxEntity.class, event.requestId()).chain(existing -> {
                    if (existing != null) {
                        return Uni.createFrom().voidItem();
                    }
                    EventOutboxEntity row = new EventOutboxEntity();
                    row.requestId = event.requestId();
                    row.eventType = EventType.of(event).ceType();
                    row.eventKey = key;
                    row.payload = new String(EventCodec.encode(event), StandardCharsets.UTF_8);
                    row.createdAt = at;
                    return s.persist(row);
                }));
    }

    /** Events not yet on their topic, oldest first. */
    public Uni<List<EventOutboxEntity>> unpublishedEvents(int limit) {
        return Panache.withSession(() -> Panache.getSession()
                .chain(s -> s.createQuery(
                                "FROM EventOutboxEntity WHERE publishedAt IS NULL ORDER BY createdAt",
                                EventOutboxEntity.class)
                        .setMaxResults(limit)
                        .getResultList()));
    }

    public Uni<Void> markEventPublished(String requestId, Instant at) {
        return Panache.withTransaction(() -> Panache.getSession()
                .chain(s -> s.createMutationQuery(
                                "UPDATE EventOutboxEntity SET publishedAt = :at WHERE requestId = :id AND publishedAt IS NULL")
                        .setParameter("at", at)
                        .setParameter("id", requestId)
                        .executeUpdate())
                .replaceWithVoid());
    }

    public <T> Uni<T> find(Class<T> type, Object id) {
        return Panache.getSession().chain(s -> s.find(type, id));
    }
}
