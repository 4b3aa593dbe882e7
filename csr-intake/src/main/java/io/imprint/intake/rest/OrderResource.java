package io.imprint.intake.rest;

import com.fasterxml.jackson.databind.JsonNode;
import io.imprint.intake.config.IntakeConfig;
import io.imprint.intake.persistence.IntakeStore;
import io.imprint.intake.persistence.ManifestEntryEntity;
import io.imprint.intake.persistence.ProductionOrderEntity;
import io.imprint.pki.attestation.KeyFingerprint;
import io.imprint.pki.attestation.MicrochipManifest;
import io.imprint.service.ApiError;
import io.imprint.service.OperatorApi;
import io.imprint.service.OperatorAuthenticator;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;
import org.jboss.logging.Logger;

/** The operator's production-order API. Every call needs the operator bearer token. */
@OperatorApi
@Path("/orders")
@Produces(MediaType.APPLICATION_JSON)
public class OrderResource {
    private static final Logger LOG = Logger.getLogger(OrderResource.class);
    private final IntakeStore store;
    private final OperatorAuthenticator operators;
    private final List<String> issuingCas;
    private final List<String> profiles;
    private final List<X509Certificate> manifestSigners;
    private final List<X509Certificate> cdSigners;

    public OrderResource(IntakeStore store, OperatorAuthenticator operators, IntakeConfig config) {
        this.store = store;
        this.operators = operators;
        this.issuingCas = config.issuingCas();
        this.profiles = config.profiles();
        this.manifestSigners = config.manifestSigners().orElse(List.of()).stream()
                .map(file -> IntakeConfig.certificate(file, "imprint.intake.manifest-signers")).toList();
        this.cdSigners = config.matterCdSigners().orElse(List.of()).stream()
                .map(file -> IntakeConfig.certificate(file, "imprint.intake.matter-cd-signers")).toList();
    }

    /** Either fingerprints, or a vendor's signed manifest file as it is (Microchip's JSON array of signed entries). */
    public record ManifestRequest(List<String> publicKeySha256, JsonNode microchipManifest) {
    }

    public record ManifestResult(String orderId, int added, int manifestSize) {
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<Response> create(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization, OrderRequest body) {
        return authenticated(authorization, operator -> {
            String problem = body == null ? "a JSON order is required" : body.problem(issuingCas, profiles);
            if (problem == null) {
                problem = body.declarationProblem(cdSigners);
            }
            if (problem != null) {
                return Uni.createFrom().item(new ApiError("INVALID_ORDER", problem).response(Response.Status.BAD_REQUEST));
            }
            ProductionOrderEntity order = body.toEntity(issuingCas.get(0), profiles.get(0), operator, Instant.now());
            List<String> manifest = body.manifest() == null ? List.of() : body.manifest();
            return Panache.withTransaction(() -> store.order(order.orderId).chain(existing -> {
                if (existing != null) {
                    return Uni.createFrom().item(new ApiError("ORDER_EXISTS", "order " + order.orderId
                            + " exists; order ids are never reused").response(Response.Status.CONFLICT));
                }
                return store.persist(order).chain(() -> store.createSlots(order.orderId, order.quantity))
                        .chain(() -> addManifest(order, manifest)).map(added -> {
                            LOG.infof("operator created order %s for factory %s: %d x %s", order.orderId,
                                    order.factoryId, order.quantity, order.productModel);
                            return Response.status(Response.Status.CREATED).entity(OrderView.of(order, 0)).build();
                        });
            }));
        });
    }

    @GET
    public Uni<Response> list(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
            @QueryParam("factoryId") String factoryId, @QueryParam("status") String status) {
        Boolean open = status == null ? null : "OPEN".equalsIgnoreCase(status);
        return authenticated(authorization, operator -> Panache.withSession(() -> store.orders(factoryId, open)
                .chain(orders -> views(orders)).map(views -> Response.ok(views).build())));
    }

    @GET
    @Path("/{orderId}")
    public Uni<Response> get(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
            @PathParam("orderId") String orderId) {
        return authenticated(authorization, operator -> Panache.withSession(() -> store.order(orderId)
                .chain(order -> order == null ? Uni.createFrom().item(notFound(orderId))
                        : views(List.of(order)).map(views -> Response.ok(views.get(0)).build()))));
    }

    @POST
    @Path("/{orderId}/close")
    public Uni<Response> close(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
            @PathParam("orderId") String orderId) {
        return authenticated(authorization, operator -> Panache.withTransaction(() -> store.order(orderId)
                .chain(order -> {
                    if (order == null) {
                        return Uni.createFrom().item(notFound(orderId));
                    }
                    if (order.open) {
                        order.open = false;
                        order.closedAt = Instant.now();
                        LOG.infof("operator closed order %s", orderId);
                    }
                    return views(List.of(order)).map(views -> Response.ok(views.get(0)).build());
                })));
    }

    /** Adds genuine secure elements to the order's vendor manifest; from then on only listed keys are accepted. */
    @POST
    @Path("/{orderId}/manifest")
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<Response> addToManifest(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
            @PathParam("orderId") String orderId, ManifestRequest body) {
        return authenticated(authorization, operator -> {
            List<String> fingerprints;
            try {
                fingerprints = fingerprints(body);
            } catch (IllegalArgumentException e) {
                return Uni.createFrom().item(new ApiError("INVALID_MANIFEST", e.getMessage())
                        .response(Response.Status.BAD_REQUEST));
            }
            return Panache.withTransaction(() -> store.order(orderId).chain(order -> order == null
                    ? Uni.createFrom().item(notFound(orderId))
                    : addManifest(order, fingerprints).map(added -> Response.ok(
                            new ManifestResult(orderId, added, order.manifestSize)).build())));
        });
    }

    /** The fingerprints a manifest request adds, each verified; a signed manifest must verify entry by entry. */
    private List<String> fingerprints(ManifestRequest body) {
        if (body != null && body.microchipManifest() != null && body.publicKeySha256() == null) {
            if (manifestSigners.isEmpty()) {
                throw new IllegalArgumentException("no manifest signer is configured "
                        + "(imprint.intake.manifest-signers); a signed manifest cannot be verified");
            }
            return MicrochipManifest.verify(body.microchipManifest().toString(), manifestSigners).stream()
                    .map(MicrochipManifest.Entry::keySha256).toList();
        }
        if (body == null || body.microchipManifest() != null || body.publicKeySha256() == null
                || body.publicKeySha256().isEmpty() || !body.publicKeySha256().stream().allMatch(KeyFingerprint::isWellFormed)) {
            throw new IllegalArgumentException("give either publicKeySha256, SHA-256 fingerprints of SubjectPublicKeyInfo "
                    + "DER (64 hex digits each), or microchipManifest, the vendor's signed manifest");
        }
        return body.publicKeySha256();
    }

    private Uni<List<OrderView>> views(List<ProductionOrderEntity> orders) {
        return store.acceptedCounts(orders.stream().map(o -> o.orderId).toList()).map(counts -> orders.stream()
                .map(o -> OrderView.of(o, counts.getOrDefault(o.orderId, 0L))).toList());
    }

    private Uni<Integer> addManifest(ProductionOrderEntity order, List<String> fingerprints) {
        Uni<Integer> added = Uni.createFrom().item(0);
        for (String fingerprint : fingerprints.stream().map(f -> f.toLowerCase(Locale.ROOT)).distinct().toList()) {
            added = added.chain(count -> store.find(ManifestEntryEntity.class, ManifestEntryEntity.id(order.orderId,
                    fingerprint)).chain(existing -> {
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

    private Uni<Response> authenticated(String authorization, Function<String, Uni<Response>> call) {
        Optional<String> operator = operators.authenticate(authorization);
        return operator.isEmpty() ? Uni.createFrom().item(OperatorAuthenticator.unauthorized())
                : call.apply(operator.get());
    }

    private static Response notFound(String orderId) {
        return ApiError.notFound("ORDER_NOT_FOUND", "no production order " + orderId);
    }
}
