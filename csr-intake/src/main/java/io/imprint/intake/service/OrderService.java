package io.imprint.intake.service;

import com.fasterxml.jackson.databind.JsonNode;
import io.imprint.contracts.events.OrderChangedV1;
import io.imprint.intake.config.IntakeConfig;
import io.imprint.intake.persistence.IntakeStore;
import io.imprint.intake.persistence.ManifestEntryEntity;
import io.imprint.intake.persistence.ProductionOrderEntity;
import io.imprint.pki.attestation.KeyFingerprint;
import io.imprint.pki.attestation.MicrochipManifest;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import org.jboss.logging.Logger;

/**
 * Production orders as operators manage them: created with their quota slots and manifest in one
 * transaction, listed with progress, closed, and extended with genuine secure elements. Refusals are
 * {@link OrderProblem}s.
 */
@ApplicationScoped
public class OrderService {
    private static final Logger LOG = Logger.getLogger(OrderService.class);
    private final IntakeStore store;
    private final List<String> issuingCas;
    private final List<String> profiles;
    private final List<X509Certificate> manifestSigners;
    private final List<X509Certificate> cdSigners;

    public OrderService(IntakeStore store, IntakeConfig config) {
        this.store = store;
        this.issuingCas = config.issuingCas();
        this.profiles = config.profiles();
        this.manifestSigners = config.manifestSigners().orElse(List.of()).stream()
                .map(file -> IntakeConfig.certificate(file, "imprint.intake.manifest-signers"))
                .toList();
        this.cdSigners = config.matterCdSigners().orElse(List.of()).stream()
                .map(file -> IntakeConfig.certificate(file, "imprint.intake.matter-cd-signers"))
                .toList();
    }

    /** Either fingerprints, or a vendor's signed manifest file as it is (Microchip's JSON array of signed entries). */
    public record ManifestRequest(List<String> publicKeySha256, JsonNode microchipManifest) {}

    public record ManifestResult(String orderId, int added, int manifestSize) {}

    public Uni<OrderView> create(OrderRequest request, String operator) {
        String problem = request == null ? "a JSON order is required" : request.problem(issuingCas, profiles);
        if (problem == null) {
            problem = request.declarationProblem(cdSigners);
        }
        if (problem != null) {
            return Uni.createFrom().failure(new OrderProblem(OrderProblem.Kind.INVALID, "INVALID_ORDER", problem));
        }
        ProductionOrderEntity order = request.toEntity(issuingCas.get(0), profiles.get(0), operator, Instant.now());
        List<String> manifest = request.manifest() == null ? List.of() : request.manifest();
        return Panache.withTransaction(() -> store.order(order.orderId).chain(existing -> {
            if (existing != null) {
                return Uni.createFrom()
                        .failure(new OrderProblem(
                                OrderProblem.Kind.CONFLICT,
                                "ORDER_EXISTS",
                                "order " + order.orderId + " exists; order ids are never reused"));
            }
            return store.persist(order)
                    .chain(() -> record(change(order, OrderChangedV1.OPEN, operator, order.createdAt)))
                    .chain(() -> store.createSlots(order.orderId, order.quantity))
                    .chain(() -> addManifest(order, manifest))
                    .map(added -> {
                        LOG.infof(
                                "%s created order %s for factory %s: %d x %s",
                                operator, order.orderId, order.factoryId, order.quantity, order.productModel);
                        return OrderView.of(order, 0);
                    });
        }));
    }

    /**
     * Orders with their progress, optionally of one factory.
     *
     * @param open true for open orders only, false for closed only, null for both
     */
    public Uni<List<OrderView>> list(String factoryId, Boolean open) {
        return Panache.withSession(() -> store.orders(factoryId, open).chain(this::views));
    }

    public Uni<OrderView> get(String orderId) {
        return Panache.withSession(() -> existing(orderId).chain(order -> view(order)));
    }

    /** Closes the order (again, harmlessly, if it is closed): no submission for it is accepted afterwards. */
    public Uni<OrderView> close(String orderId, String operator) {
        return Panache.withTransaction(() -> existing(orderId).chain(order -> {
            if (!order.open) {
                return view(order);
            }
            order.open = false;
            order.closedAt = Instant.now();
            LOG.infof("%s closed order %s", operator, orderId);
            return record(change(order, OrderChangedV1.CLOSED, operator, order.closedAt))
                    .chain(() -> view(order));
        }));
    }

    private Uni<Void> record(OrderChangedV1 change) {
        return store.recordEvent(change, change.orderId(), change.changedAt());
    }

    /** The event that tells audit of the change; it commits with the order (the outbox). */
    private static OrderChangedV1 change(ProductionOrderEntity order, String status, String operator, Instant at) {
        return OrderChangedV1.of(
                order.orderId, order.factoryId, order.productModel, order.quantity, status, operator, at);
    }

    /** Adds genuine secure elements to the order's vendor manifest; from then on only listed keys are accepted. */
    public Uni<ManifestResult> addToManifest(String orderId, ManifestRequest request) {
        List<String> fingerprints;
        try {
            fingerprints = fingerprints(request);
        } catch (IllegalArgumentException e) {
            return Uni.createFrom()
                    .failure(new OrderProblem(OrderProblem.Kind.INVALID, "INVALID_MANIFEST", e.getMessage()));
        }
        return Panache.withTransaction(() -> existing(orderId)
                .chain(order -> addManifest(order, fingerprints)
                        .map(added -> new ManifestResult(orderId, added, order.manifestSize))));
    }

    /** The fingerprints a manifest request adds, each verified; a signed manifest must verify entry by entry. */
    private List<String> fingerprints(ManifestRequest request) {
        if (request != null && request.microchipManifest() != null && request.publicKeySha256() == null) {
            if (manifestSigners.isEmpty()) {
                throw new IllegalArgumentException("no manifest signer is configured "
                        + "(imprint.intake.manifest-signers); a signed manifest cannot be verified");
            }
            return MicrochipManifest.verify(request.microchipManifest().toString(), manifestSigners).stream()
                    .map(MicrochipManifest.Entry::keySha256)
                    .toList();
        }
        if (request == null
                || request.microchipManifest() != null
                || request.publicKeySha256() == null
                || request.publicKeySha256().isEmpty()
                || !request.publicKeySha256().stream().allMatch(KeyFingerprint::isWellFormed)) {
            throw new IllegalArgumentException(
                    "give either publicKeySha256, SHA-256 fingerprints of "
                            + "SubjectPublicKeyInfo DER (64 hex digits each), or microchipManifest, the vendor's signed manifest");
        }
        return request.publicKeySha256();
    }

    private Uni<ProductionOrderEntity> existing(String orderId) {
        return store.order(orderId).onItem().ifNull().failWith(() -> OrderProblem.notFound(orderId));
    }

    private Uni<OrderView> view(ProductionOrderEntity order) {
        return views(List.of(order)).map(views -> views.get(0));
    }

    private Uni<List<OrderView>> views(List<ProductionOrderEntity> orders) {
        return store.acceptedCounts(orders.stream().map(o -> o.orderId).toList())
                .map(counts -> orders.stream()
                        .map(o -> OrderView.of(o, counts.getOrDefault(o.orderId, 0L)))
                        .toList());
    }

    private Uni<Integer> addManifest(ProductionOrderEntity order, List<String> fingerprints) {
        Uni<Integer> added = Uni.createFrom().item(0);
        for (String fingerprint : fingerprints.stream()
                .map(f -> f.toLowerCase(Locale.ROOT))
                .distinct()
                .toList()) {
            added = added.chain(count -> store.find(
                            ManifestEntryEntity.class, ManifestEntryEntity.id(order.orderId, fingerprint))
                    .chain(existing -> {
                        if (existing != null) {
                            return Uni.createFrom().item(count);
                        }
                        ManifestEntryEntity entry = new ManifestEntryEntity();
                        entry.entryId = ManifestEntryEntity.id(order.orderId, fingerprint);
                        entry.orderId = order.orderId;
                        entry.keySha256 = fingerprint;
                        order.manifestSize++;
                        return store.persist(entry).replaceWith(count + 1);
                    }));
        }
        return added;
    }
}
