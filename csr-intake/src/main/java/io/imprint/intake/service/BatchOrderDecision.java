package io.imprint.intake.service;

import io.imprint.contracts.ReasonCode;
import io.imprint.contracts.events.CsrSubmittedV1;
import io.imprint.contracts.events.ImprintEvent;
import io.imprint.intake.persistence.IntakeBatchStore;
import io.imprint.intake.persistence.IntakeRequestEntity;
import io.imprint.intake.persistence.IntakeStore;
import io.imprint.intake.persistence.ManifestEntryEntity;
import io.imprint.intake.persistence.ProductionOrderEntity;
import io.imprint.intake.persistence.ProvisionedDeviceEntity;
import io.imprint.pki.RequestRejectedException;
import io.imprint.pki.intake.OrderRules;
import io.imprint.pki.intake.ProductionOrder;
import io.imprint.pki.intake.ValidatedSubmission;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * {@link OrderDecision}'s checks for many submissions at once, in one transaction and in the same order, each step
 * one statement for all of them: claim the request ids (those seen before get their stored decision or
 * {@code REQUEST_REPLAYED}), read their orders and check them, look the keys up in the manifests, lock and read the
 * devices, give each order's free quota slots to its requests in turn (waiting for slots other transactions hold
 * only when too few are free, so the count stays exact), save the devices, store every decision. Takes no TPM
 * submission, and no two submissions with one request id or one device id: those go one at a time.
 */
@ApplicationScoped
public class BatchOrderDecision {
    private final IntakeBatchStore batches;
    private final IntakeStore store;
    private final OrderDecision single;

    public BatchOrderDecision(IntakeBatchStore batches, IntakeStore store, OrderDecision single) {
        this.batches = batches;
        this.store = store;
        this.single = single;
    }

    /** A validated submission and where its record was read. */
    public record Candidate(ValidatedSubmission valid, String source) {
        CsrSubmittedV1 submission() {
            return valid.submission();
        }
    }

    /** The candidates' outcomes, in their order. */
    public Uni<List<OrderDecision.Outcome>> decide(List<Candidate> candidates, Instant now) {
        return Panache.withTransaction(() -> new Run(candidates, now).decide());
    }

    /**
     * The outcomes of candidates whose request id was seen before (by index): a redelivered record's stored
     * decision, or a replay's rejection. Asked before any rate-limit token is drawn, so a redelivery never meets an
     * empty bucket; the transaction's own claim still settles a redelivery racing in between.
     */
    public Uni<Map<Integer, OrderDecision.Outcome>> decidedBefore(List<Candidate> candidates, Instant now) {
        List<String> ids = candidates.stream()
                .map(c -> c.submission().requestId())
                .distinct()
                .toList();
        return Panache.withSession(() -> batches.requests(ids)).map(earlier -> {
            Map<String, IntakeRequestEntity> byId =
                    earlier.stream().collect(Collectors.toMap(r -> r.requestId, r -> r));
            Map<Integer, OrderDecision.Outcome> seen = new TreeMap<>();
            for (int i = 0; i < candidates.size(); i++) {
                Candidate c = candidates.get(i);
                IntakeRequestEntity before = byId.get(c.submission().requestId());
                if (before != null) {
                    seen.put(i, OrderDecision.seenBefore(before, c.submission(), c.source(), now));
                }
            }
            return seen;
        });
    }

    /** One batch's decisions, step by step; {@code open} holds the candidates no step has decided yet. */
    private final class Run {
        private final List<Candidate> candidates;
        private final Instant now;
        private final OrderDecision.Outcome[] outcomes;
        private final Map<Integer, ImprintEvent> decided = new TreeMap<>();
        private final List<CsrSubmittedV1> accepted = new ArrayList<>();
        private List<Integer> open = new ArrayList<>();
        private Map<String, ProductionOrderEntity> orders = Map.of();

        Run(List<Candidate> candidates, Instant now) {
            this.candidates = candidates;
            this.now = now;
            this.outcomes = new OrderDecision.Outcome[candidates.size()];
        }

        Uni<List<OrderDecision.Outcome>> decide() {
            return batches.claimRequests(
                            candidates.stream()
                                    .map(c -> new IntakeBatchStore.Claim(c.submission(), c.source()))
                                    .toList(),
                            now)
                    .chain(this::answerSeenBefore)
                    .chain(this::checkOrders)
                    .chain(this::checkManifests)
                    .chain(this::checkDevices)
                    .chain(this::claimSlots)
                    .chain(this::store)
                    .map(done -> Arrays.asList(outcomes));
        }

        private Uni<Void> answerSeenBefore(Set<String> claimed) {
            List<Integer> seen = new ArrayList<>();
            for (int i = 0; i < candidates.size(); i++) {
                (claimed.contains(candidates.get(i).submission().requestId()) ? open : seen).add(i);
            }
            return batches.requests(ids(seen, CsrSubmittedV1::requestId))
                    .invoke(earlier -> {
                        Map<String, IntakeRequestEntity> byId =
                                earlier.stream().collect(Collectors.toMap(r -> r.requestId, r -> r));
                        for (int i : seen) {
                            Candidate c = candidates.get(i);
                            outcomes[i] = OrderDecision.seenBefore(
                                    byId.get(c.submission().requestId()), c.submission(), c.source(), now);
                        }
                    })
                    .replaceWithVoid();
        }

        private Uni<Void> checkOrders(Void ignored) {
            return batches.orders(ids(open, CsrSubmittedV1::orderId))
                    .invoke(found -> {
                        orders = found.stream().collect(Collectors.toMap(o -> o.orderId, o -> o));
                        keepOpen(i -> {
                            Candidate c = candidates.get(i);
                            ProductionOrderEntity order =
                                    orders.get(c.submission().orderId());
                            if (order == null) {
                                throw new RequestRejectedException(
                                        ReasonCode.ORDER_UNKNOWN,
                                        "no production order " + c.submission().orderId());
                            }
                            ProductionOrder rules = order.toOrder();
                            OrderRules.check(
                                    rules,
                                    c.submission(),
                                    c.valid().station().identity().factoryId(),
                                    now);
                            OrderRules.checkValidated(rules, c.valid());
                        });
                    })
                    .replaceWithVoid();
        }

        private Uni<Void> checkManifests(Void ignored) {
            Set<String> entries = new LinkedHashSet<>();
            for (int i : open) {
                if (orderOf(i).manifestSize > 0) {
                    entries.add(manifestEntry(i));
                }
            }
            return batches.listedInManifests(entries)
                    .invoke(listed -> keepOpen(i -> {
                        if (orderOf(i).manifestSize > 0 && !listed.contains(manifestEntry(i))) {
                            throw OrderDecision.notInManifest(candidates.get(i).valid(), orderOf(i));
                        }
                    }))
                    .replaceWithVoid();
        }

        private Uni<Void> checkDevices(Void ignored) {
            List<String> devices = ids(open, CsrSubmittedV1::deviceId);
            return batches.lockDevices(devices)
                    .chain(() -> batches.devices(devices))
                    .invoke(found -> {
                        Map<String, ProvisionedDeviceEntity> byId =
                                found.stream().collect(Collectors.toMap(d -> d.deviceId, d -> d));
                        keepOpen(i -> {
                            CsrSubmittedV1 submission = candidates.get(i).submission();
                            ProvisionedDeviceEntity device = byId.get(submission.deviceId());
                            ProductionOrderEntity order = orderOf(i);
                            if (device != null && !order.allowReprovisioning) {
                                throw OrderDecision.alreadyProvisioned(submission, device, order);
                            }
                        });
                    })
                    .replaceWithVoid();
        }

        private Uni<Void> claimSlots(Void ignored) {
            Map<String, List<Integer>> byOrder = new LinkedHashMap<>();
            open.forEach(i -> byOrder.computeIfAbsent(orderOf(i).orderId, o -> new ArrayList<>())
                    .add(i));
            Uni<Void> all = Uni.createFrom().voidItem();
            for (Map.Entry<String, List<Integer>> order : byOrder.entrySet()) {
                List<Integer> asking = order.getValue();
                all = all.chain(() -> batches.claimFreeSlots(order.getKey(), ids(asking, CsrSubmittedV1::requestId))
                        .chain(got -> {
                            List<Integer> waiting = new ArrayList<>();
                            for (int i : asking) {
                                if (got.contains(candidates.get(i).submission().requestId())) {
                                    accept(i);
                                } else {
                                    waiting.add(i);
                                }
                            }
                            return claimHeldSlots(waiting, 0);
                        }));
            }
            return all;
        }

        /** One at a time, each waiting for a slot another transaction holds; once none is left, the rest neither. */
        private Uni<Void> claimHeldSlots(List<Integer> waiting, int next) {
            if (next == waiting.size()) {
                return Uni.createFrom().voidItem();
            }
            int i = waiting.get(next);
            ProductionOrderEntity order = orderOf(i);
            return store.claimSlot(order.orderId, candidates.get(i).submission().requestId())
                    .chain(taken -> {
                        if (taken) {
                            accept(i);
                            return claimHeldSlots(waiting, next + 1);
                        }
                        for (int j : waiting.subList(next, waiting.size())) {
                            reject(j, OrderDecision.quotaExhausted(order));
                        }
                        return Uni.createFrom().voidItem();
                    });
        }

        private void accept(int i) {
            CsrSubmittedV1 submission = candidates.get(i).submission();
            decided.put(i, single.accepted(submission, orderOf(i), now));
            accepted.add(submission);
        }

        private Uni<Void> store(Void ignored) {
            return batches.saveDevices(accepted, now)
                    .chain(() -> batches.recordDecisions(List.copyOf(decided.values()), now))
                    .invoke(() -> decided.forEach((i, event) -> outcomes[i] = new OrderDecision.Outcome(event, false)));
        }

        /** Runs a check on every open candidate; those it refuses are decided, rejected with its reason. */
        private void keepOpen(Check check) {
            List<Integer> passed = new ArrayList<>();
            for (int i : open) {
                try {
                    check.run(i);
                    passed.add(i);
                } catch (RequestRejectedException e) {
                    reject(i, e);
                }
            }
            open = passed;
        }

        private void reject(int i, RequestRejectedException e) {
            decided.put(i, IntakeService.rejection(candidates.get(i).submission(), e, now));
        }

        private ProductionOrderEntity orderOf(int i) {
            return orders.get(candidates.get(i).submission().orderId());
        }

        private String manifestEntry(int i) {
            return ManifestEntryEntity.id(
                    orderOf(i).orderId, candidates.get(i).valid().keyFingerprint());
        }

        private List<String> ids(List<Integer> indices, Function<CsrSubmittedV1, String> id) {
            return indices.stream()
                    .map(i -> id.apply(candidates.get(i).submission()))
                    .distinct()
                    .toList();
        }
    }

    /** A check of one candidate, by index. */
    @FunctionalInterface
    private interface Check {
        void run(int candidate) throws RequestRejectedException;
    }
}
