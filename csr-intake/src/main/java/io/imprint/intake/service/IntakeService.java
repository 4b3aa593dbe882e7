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
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
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
    /**
     * The smallest poll decided together. A few submissions cost less one at a time: the set-based statements
     * pay off from a handful on (bench-e2e.sh: at 23 devices/s, polls of one or two, deciding them together cost
     * csr-intake 1.5 times the CPU per device and five times the latency).
     */
    static final int TOGETHER_FROM = 4;

    private static final Logger LOG = Logger.getLogger(IntakeService.class);

    private final SubmissionValidator validator;
    private final RateLimiter rateLimiter;
    private final OrderDecision orders;
    private final BatchOrderDecision batchOrders;
    private final MeterRegistry metrics;

    public IntakeService(
            IntakeConfig config,
            StationRevocations revocations,
            RateLimiter rateLimiter,
            OrderDecision orders,
            BatchOrderDecision batchOrders,
            MeterRegistry metrics) {
        this.rateLimiter = rateLimiter;
        this.orders = orders;
        this.batchOrders = batchOrders;
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

    /** A submission as read: the event, the station's credential and signature over the record, and where. */
    @SuppressWarnings("ArrayRecordComponent") // the record's bytes as signed; never compared or hashed
    public record Submitted(
            CsrSubmittedV1 submission, String stationCert, String signature, byte[] value, String source) {}

    /**
     * Decides a poll's submissions as {@link #decide} decides each, in their order, with the shared state checked
     * for all of them at once: one draw per kind of rate-limit bucket ({@link RateLimiter#takeAll}) and one
     * transaction ({@link BatchOrderDecision}). A TPM submission, and a second submission with a request id or
     * device id already in the poll, is decided on its own afterwards, so it sees what the others changed. A poll
     * of fewer than {@value #TOGETHER_FROM} is decided one at a time.
     */
    public List<Decision> decideAll(List<Submitted> batch) {
        if (batch.size() < TOGETHER_FROM) {
            return batch.stream()
                    .map(s -> decide(s.submission(), s.stationCert(), s.signature(), s.value(), s.source()))
                    .toList();
        }
        Instant now = Instant.now();
        long start = System.nanoTime();
        Decision[] decisions = new Decision[batch.size()];
        List<Integer> together = new ArrayList<>();
        List<ValidatedSubmission> valid = new ArrayList<>();
        List<Integer> alone = new ArrayList<>();
        Set<String> requestIds = new HashSet<>();
        Set<String> deviceIds = new HashSet<>();
        for (int i = 0; i < batch.size(); i++) {
            Submitted s = batch.get(i);
            CsrSubmittedV1 submission = s.submission();
            AuthenticatedStation station;
            try {
                station = validator.authenticate(s.stationCert(), s.signature(), s.value(), now);
            } catch (RequestRejectedException e) {
                decisions[i] = new Decision(counted(rejection(submission, e, now)), null);
                continue;
            }
            if (submission.tpm() != null
                    || !requestIds.add(submission.requestId())
                    || !deviceIds.add(submission.deviceId())) {
                alone.add(i);
                continue;
            }
            try {
                valid.add(validator.validate(submission, station, now));
                together.add(i);
            } catch (RequestRejectedException e) {
                decisions[i] = new Decision(
                        counted(rejection(submission, e, now)),
                        station.identity().factoryId());
            }
        }
        start = timed("validate", start);
        List<BatchOrderDecision.Candidate> read = new ArrayList<>();
        for (int k = 0; k < valid.size(); k++) {
            read.add(new BatchOrderDecision.Candidate(
                    valid.get(k), batch.get(together.get(k)).source()));
        }
        Map<Integer, OrderDecision.Outcome> before =
                read.isEmpty() ? Map.of() : Await.result(() -> batchOrders.decidedBefore(read, now));
        List<Integer> fresh = new ArrayList<>();
        for (int k = 0; k < read.size(); k++) {
            OrderDecision.Outcome seen = before.get(k);
            if (seen == null) {
                fresh.add(k);
            } else {
                decisions[together.get(k)] =
                        new Decision(seen.redelivered() ? seen.event() : counted(seen.event()), factory(valid.get(k)));
            }
        }
        List<RateLimiter.Verdict> verdicts = rateLimiter.takeAll(
                fresh.stream().map(k -> valid.get(k).station().identity()).toList());
        start = timed("rate-limit", start);
        List<BatchOrderDecision.Candidate> candidates = new ArrayList<>();
        List<Integer> candidateAt = new ArrayList<>();
        List<RateLimiter.Taken> taken = new ArrayList<>();
        for (int f = 0; f < fresh.size(); f++) {
            int k = fresh.get(f);
            int i = together.get(k);
            RateLimiter.Verdict verdict = verdicts.get(f);
            if (verdict.refused() != null) {
                decisions[i] = new Decision(
                        counted(rejection(batch.get(i).submission(), verdict.refused(), now)), factory(valid.get(k)));
            } else {
                candidates.add(read.get(k));
                candidateAt.add(i);
                taken.add(verdict.taken());
            }
        }
        List<OrderDecision.Outcome> outcomes =
                candidates.isEmpty() ? List.of() : decideTogether(candidates, taken, now);
        timed("order-transaction", start);
        List<RateLimiter.Taken> redelivered = new ArrayList<>();
        for (int k = 0; k < outcomes.size(); k++) {
            OrderDecision.Outcome outcome = outcomes.get(k);
            if (outcome.redelivered()) {
                redelivered.add(taken.get(k));
            }
            decisions[candidateAt.get(k)] = new Decision(
                    outcome.redelivered() ? outcome.event() : counted(outcome.event()),
                    factory(candidates.get(k).valid()));
        }
        if (!redelivered.isEmpty()) {
            rateLimiter.giveBackAll(redelivered);
        }
        for (int i : alone) {
            Submitted s = batch.get(i);
            decisions[i] = decide(s.submission(), s.stationCert(), s.signature(), s.value(), s.source());
        }
        return Arrays.asList(decisions);
    }

    /** The order transaction; should it fail, the tokens its requests took go back before the failure is passed on. */
    private List<OrderDecision.Outcome> decideTogether(
            List<BatchOrderDecision.Candidate> candidates, List<RateLimiter.Taken> taken, Instant now) {
        try {
            return Await.result(() -> batchOrders.decide(candidates, now));
        } catch (RuntimeException e) {
            try {
                rateLimiter.giveBackAll(taken);
            } catch (RuntimeException alsoDown) {
                e.addSuppressed(alsoDown);
            }
            throw e;
        }
    }

    private static String factory(ValidatedSubmission valid) {
        return valid.station().identity().factoryId();
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

    static Map<String, AttestationProfile> attestationProfiles(IntakeConfig config) {
        return config.attestation().entrySet().stream()
                .collect(Collectors.toMap(
                        Map.Entry::getKey,
                        e -> AttestationProfile.of(
                                e.getValue().leafKeyUsages().orElse(null),
                                e.getValue().intermediatePathLength().orElse(null),
                                e.getValue().format())));
    }
}
