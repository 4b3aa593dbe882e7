package io.imprint.intake.service;

import io.imprint.contracts.EventCodec;
import io.imprint.contracts.ReasonCode;
import io.imprint.contracts.events.CsrAcceptedV1;
import io.imprint.contracts.events.CsrChallengedV1;
import io.imprint.contracts.events.CsrRejectedV1;
import io.imprint.contracts.events.CsrSubmittedV1;
import io.imprint.contracts.events.ImprintEvent;
import io.imprint.intake.config.IntakeConfig;
import io.imprint.intake.persistence.IntakeRequestEntity;
import io.imprint.intake.persistence.IntakeStore;
import io.imprint.intake.persistence.ProductionOrderEntity;
import io.imprint.intake.persistence.ProvisionedDeviceEntity;
import io.imprint.pki.RequestRejectedException;
import io.imprint.pki.Serials;
import io.imprint.pki.intake.OrderRules;
import io.imprint.pki.intake.ProductionOrder;
import io.imprint.pki.intake.ValidatedSubmission;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

/**
 * The checks that need shared state, in one transaction, in this order (the first failure decides):
 * request id never seen (else {@code REQUEST_REPLAYED}, or the stored decision when Kafka redelivers the
 * same record); the order exists and admits the submission ({@link OrderRules}); the key is in the order's
 * vendor manifest; a TPM submission answers its credential-activation challenge ({@link TpmActivation}; a
 * first TPM submission that passes the order's checks gets a challenge instead of a decision); the device is
 * new or its order allows re-provisioning; a unit of quota is left. The
 * decision is stored with the request id before the transaction commits, so it is never half-written. An
 * accepted request gets its certificate serial here, drawn from a CSPRNG and stored under a unique index
 * with the decision: the signer signs every delivery of it to that one serial.
 */
@ApplicationScoped
public class OrderDecision {
    private final IntakeStore store;
    private final TpmActivation tpmActivation;
    /** For orders stored before orders named their profile. */
    private final String defaultProfile;

    public OrderDecision(IntakeStore store, TpmActivation tpmActivation, IntakeConfig config) {
        this.store = store;
        this.tpmActivation = tpmActivation;
        this.defaultProfile = config.profiles().get(0);
    }

    /** A decision, and whether it was made now or earlier (a redelivered record). */
    public record Outcome(ImprintEvent event, boolean redelivered) {}

    public Uni<Outcome> decide(ValidatedSubmission valid, String source, Instant now) {
        CsrSubmittedV1 submission = valid.submission();
        return Panache.withTransaction(() -> store.claimRequest(submission, source, now)
                .chain(claimed -> claimed
                        ? decideNew(valid, now)
                                .call(event -> store.recordDecision(submission.requestId(), event, now))
                                .map(event -> new Outcome(event, false))
                        : store.request(submission.requestId())
                                .map(earlier -> seenBefore(earlier, submission, source, now))));
    }

    static Outcome seenBefore(IntakeRequestEntity earlier, CsrSubmittedV1 submission, String source, Instant now) {
        if (earlier.source.equals(source) && !earlier.decisionEvent.isEmpty()) {
            byte[] stored = earlier.decisionEvent.getBytes(StandardCharsets.UTF_8);
            return new Outcome(
                    earlier.accepted
                            ? EventCodec.decode(stored, CsrAcceptedV1.class)
                            : Boolean.TRUE.equals(earlier.challenged)
                                    ? EventCodec.decode(stored, CsrChallengedV1.class)
                                    : EventCodec.decode(stored, CsrRejectedV1.class),
                    true);
        }
        return new Outcome(
                IntakeService.rejection(
                        submission,
                        new RequestRejectedException(
                                ReasonCode.REQUEST_REPLAYED,
                                "requestId " + submission.requestId() + " was already used at " + earlier.decidedAt
                                        + "; every submission needs a new requestId"),
                        now),
                false);
    }

    private Uni<ImprintEvent> decideNew(ValidatedSubmission valid, Instant now) {
        CsrSubmittedV1 submission = valid.submission();
        return store.order(submission.orderId())
                .chain(order -> {
                    if (order == null) {
                        return rejected(ReasonCode.ORDER_UNKNOWN, "no production order " + submission.orderId());
                    }
                    try {
                        ProductionOrder rules = order.toOrder();
                        OrderRules.check(
                                rules, submission, valid.station().identity().factoryId(), now);
                        OrderRules.checkValidated(rules, valid);
                    } catch (RequestRejectedException e) {
                        return Uni.createFrom().failure(e);
                    }
                    if (valid.tpm() != null && !submission.tpm().answersChallenge()) {
                        return checkManifest(order, valid)
                                .chain(() -> tpmActivation.challenge(valid, now))
                                .map(ImprintEvent.class::cast);
                    }
                    return checkManifest(order, valid)
                            .chain(() -> valid.tpm() == null
                                    ? Uni.createFrom().voidItem()
                                    : tpmActivation.checkAnswer(valid, now))
                            .chain(() -> store.lockDevice(submission.deviceId()))
                            .chain(() -> store.device(submission.deviceId()))
                            .chain(device -> {
                                if (device != null && !order.allowReprovisioning) {
                                    return Uni.createFrom().failure(alreadyProvisioned(submission, device, order));
                                }
                                return store.claimSlot(order.orderId, submission.requestId())
                                        .chain(taken -> taken
                                                ? store.saveDevice(submission, now)
                                                        .map(saved -> accepted(submission, order, now))
                                                : Uni.createFrom().failure(quotaExhausted(order)));
                            });
                })
                .onFailure(RequestRejectedException.class)
                .recoverWithItem(e -> IntakeService.rejection(submission, (RequestRejectedException) e, now));
    }

    private Uni<Void> checkManifest(ProductionOrderEntity order, ValidatedSubmission valid) {
        if (order.manifestSize == 0) {
            return Uni.createFrom().voidItem();
        }
        return store.inManifest(order.orderId, valid.keyFingerprint())
                .chain(listed ->
                        listed ? Uni.createFrom().voidItem() : Uni.createFrom().failure(notInManifest(valid, order)));
    }

    ImprintEvent accepted(CsrSubmittedV1 submission, ProductionOrderEntity order, Instant now) {
        return new CsrAcceptedV1(
                submission.requestId(),
                submission.deviceId(),
                submission.factoryId(),
                submission.stationId(),
                submission.orderId(),
                submission.csr(),
                order.profile == null ? defaultProfile : order.profile,
                now,
                order.issuingCa,
                Serials.hex(Serials.random()),
                order.productModel,
                submission.secureElementType());
    }

    static RequestRejectedException notInManifest(ValidatedSubmission valid, ProductionOrderEntity order) {
        return new RequestRejectedException(
                ReasonCode.DEVICE_NOT_IN_MANIFEST,
                "the device key (SHA-256 " + valid.keyFingerprint() + ") is not in the vendor manifest of order "
                        + order.orderId);
    }

    static RequestRejectedException alreadyProvisioned(
            CsrSubmittedV1 submission, ProvisionedDeviceEntity device, ProductionOrderEntity order) {
        return new RequestRejectedException(
                ReasonCode.DEVICE_ALREADY_PROVISIONED,
                "device " + submission.deviceId() + " was provisioned under order " + device.orderId + " at "
                        + device.acceptedAt + "; order " + order.orderId + " does not allow re-provisioning");
    }

    static RequestRejectedException quotaExhausted(ProductionOrderEntity order) {
        return new RequestRejectedException(
                ReasonCode.QUOTA_EXHAUSTED,
                "order " + order.orderId + " has already yielded its quantity of " + order.quantity + " devices");
    }

    private static <T> Uni<T> rejected(ReasonCode reason, String message) {
        return Uni.createFrom().failure(new RequestRejectedException(reason, message));
    }
}
