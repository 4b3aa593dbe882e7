package io.imprint.intake.service;

import io.imprint.contracts.events.CsrAcceptedV1;
import io.imprint.contracts.events.CsrChallengedV1;
import io.imprint.contracts.events.CsrRejectedV1;
import io.imprint.contracts.events.CsrSubmittedV1;
import io.imprint.contracts.events.ImprintEvent;
import io.imprint.intake.config.IntakeConfig;
import io.imprint.pki.RequestRejectedException;
import io.imprint.pki.attestation.AttestationProfile;
import io.imprint.pki.attestation.AttestationVerifier;
import io.imprint.pki.csr.CsrValidator;
import io.imprint.pki.intake.SubmissionValidator;
import io.imprint.pki.intake.ValidatedSubmission;
import io.imprint.pki.station.AuthenticatedStation;
import io.imprint.pki.station.StationCredentialVerifier;
import io.imprint.service.Await;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;

/**
 * Accepts or rejects a submission: first the station credential and its revocation, then the checks that
 * need no shared state (identity, clock skew, CSR, attestation), then rate limits, then the order's checks in
 * one transaction ({@link OrderDecision}). Every decision is counted by outcome and reason.
 */
@ApplicationScoped
public class IntakeService {
    static final String SERVICE = "csr-intake";
    private static final Logger LOG = Logger.getLogger(IntakeService.class);

    private final SubmissionValidator validator;
    private final RateLimiter rateLimiter;
    private final OrderDecision orders;
    private final MeterRegistry metrics;

    public IntakeService(
            IntakeConfig config,
            StationRevocations revocations,
            RateLimiter rateLimiter,
            OrderDecision orders,
            MeterRegistry metrics) {
        this.rateLimiter = rateLimiter;
        this.orders = orders;
        this.metrics = metrics;
        this.validator = new SubmissionValidator(
                new StationCredentialVerifier(
                        IntakeConfig.certificate(config.stationCa(), "imprint.intake.station-ca")),
                revocations::check,
                new CsrValidator(),
                new AttestationVerifier(vendorRoots(config), attestationProfiles(config)),
                config.maxClockSkew());
    }

    /**
     * A decision, and the factory whose stations get the answer: the authenticated station's, or null when the
     * station credential itself failed, so an unauthenticated record can never address a factory.
     */
    public record Decision(ImprintEvent event, String answerFactory) {}

    /**
     * Accepts or rejects a submission, with the reason.
     *
     * @param source where the record was read (topic, partition, offset): tells a redelivery from a replay
     */
    public Decision decide(
            CsrSubmittedV1 submission, String stationCert, String signature, byte[] value, String source) {
        Instant now = Instant.now();
        long start = System.nanoTime();
        AuthenticatedStation station;
        try {
            station = validator.authenticate(stationCert, signature, value, now);
        } catch (RequestRejectedException e) {
            return new Decision(counted(rejection(submission, e, now)), null);
        }
        String factory = station.identity().factoryId();
        ValidatedSubmission valid;
        RateLimiter.Taken tokens;
        try {
            valid = validator.validate(submission, station, now);
            start = timed("validate", start);
            tokens = rateLimiter.take(station.identity());
            start = timed("rate-limit", start);
        } catch (RequestRejectedException e) {
            return new Decision(counted(rejection(submission, e, now)), factory);
        }
        OrderDecision.Outcome outcome = Await.result(() -> orders.decide(valid, source, now));
        timed("order-transaction", start);
        if (outcome.redelivered()) {
            rateLimiter.giveBack(tokens);
            return new Decision(outcome.event(), factory);
        }
        return new Decision(counted(outcome.event()), factory);
    }

    /** Records how long a stage took (imprint_intake_stage_seconds{stage}); returns the time it ended. */
    private long timed(String stage, long start) {
        long end = System.nanoTime();
        metrics.timer("imprint.intake.stage", "stage", stage).record(end - start, TimeUnit.NANOSECONDS);
        return end;
    }

    static CsrRejectedV1 rejection(CsrSubmittedV1 submission, RequestRejectedException e, Instant now) {
        LOG.infof(
                "rejected request %s of device %s from station %s/%s under order %s: %s %s",
                submission.requestId(),
                submission.deviceId(),
                submission.factoryId(),
                submission.stationId(),
                submission.orderId(),
                e.reason(),
                e.getMessage());
        return new CsrRejectedV1(
                submission.requestId(),
                submission.deviceId(),
                submission.factoryId(),
                submission.stationId(),
                submission.orderId(),
                e.reason(),
                e.getMessage(),
                SERVICE,
                now);
    }

    private ImprintEvent counted(ImprintEvent decision) {
        if (decision instanceof CsrAcceptedV1) {
            metrics.counter("imprint.intake.decisions", "outcome", "accepted", "reason", "none")
                    .increment();
        } else if (decision instanceof CsrChallengedV1) {
            metrics.counter("imprint.intake.decisions", "outcome", "challenged", "reason", "none")
                    .increment();
        } else if (decision instanceof CsrRejectedV1 rejected) {
            metrics.counter(
                            "imprint.intake.decisions",
                            "outcome",
                            "rejected",
                            "reason",
                            rejected.reason().name())
                    .increment();
        }
        return decision;
    }

    private static Map<String, List<X509Certificate>> vendorRoots(IntakeConfig config) {
        return config.vendorRoots().entrySet().stream()
                .collect(Collectors.toMap(
                        Map.Entry::getKey,
                        e -> IntakeConfig.certificates(e.getValue(), "imprint.intake.vendor-roots." + e.getKey())));
    }

    private static Map<String, AttestationProfile> attestationProfiles(IntakeConfig config) {
        return config.attestation().entrySet().stream()
                .collect(Collectors.toMap(
                        Map.Entry::getKey,
                        e -> AttestationProfile.of(
                                e.getValue().leafKeyUsages().orElse(null),
                                e.getValue().intermediatePathLength().orElse(null),
                                e.getValue().format())));
    }
}
