package io.imprint.revocation.service;

import io.imprint.pki.Serials;
import io.imprint.revocation.config.RevocationConfig;
import io.imprint.revocation.persistence.PresignedOcspResponses;
import io.imprint.revocation.persistence.PresignedOcspResponses.Due;
import io.imprint.revocation.persistence.PresignedOcspResponses.Signed;
import io.imprint.revocation.service.ServedIssuers.ServedIssuer;
import io.imprint.service.Await;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * Signs OCSP responses ahead of requests (RFC 6960 2.2's pre-produced responses, in the RFC 5019 form): for every
 * certificate the database marked (recorded, revoked) and every stored response from half its validity on, in
 * batches, each stored with the status it states. A revocation is pre-signed within about
 * {@code ocsp-presign-interval} of its commit; until then, and for any request a stored response does not answer,
 * {@link OcspService} signs on demand, so a stale stored response is never served. Runs on a thread of its own (a
 * network HSM blocks); instances share the work, and of two signings of one certificate the later status wins.
 */
@ApplicationScoped
public class OcspPresigner {
    static final int BATCH = 500;
    private static final long MARKS_DROPPED_EVERY = 60_000;
    private static final Logger LOG = Logger.getLogger(OcspPresigner.class);

    private final ServedIssuers issuers;
    private final PresignedOcspResponses responses;
    private final Duration refreshAfter;
    private final RevocationConfig config;
    private final Counter presigned;
    private boolean failing;
    private final ScheduledExecutorService rounds = Executors.newSingleThreadScheduledExecutor(work -> {
        Thread thread = new Thread(work, "revocation-ocsp-presigner");
        thread.setDaemon(true);
        return thread;
    });

    public OcspPresigner(
            ServedIssuers issuers, PresignedOcspResponses responses, RevocationConfig config, MeterRegistry metrics) {
        this.issuers = issuers;
        this.responses = responses;
        this.config = config;
        this.refreshAfter = config.ocspValidity().dividedBy(2);
        this.presigned = metrics.counter("imprint.revocation.ocsp.presigned");
    }

    void start(@Observes StartupEvent start) {
        // Both catch every failure they can recover from; the future is not needed.
        var unused = config.ocspPresign()
                ? rounds.scheduleWithFixedDelay(
                        this::round, 1000, config.ocspPresignInterval().toMillis(), TimeUnit.MILLISECONDS)
                : rounds.scheduleWithFixedDelay(this::dropMarks, 1000, MARKS_DROPPED_EVERY, TimeUnit.MILLISECONDS);
    }

    /** Pre-signing off: the database still marks certificates; the marks are dropped so they do not pile up. */
    private void dropMarks() {
        try {
            Await.result(responses::dropMarks);
        } catch (RuntimeException e) {
            LOG.debugf("OCSP pre-sign marks not dropped yet: %s", e.getMessage());
        }
    }

    /** Before the pool closes under a round. */
    void stopping(@Observes ShutdownEvent shutdown) {
        rounds.shutdownNow();
    }

    @PreDestroy
    void stop() {
        rounds.shutdownNow();
    }

    /** Batches until nothing is due. */
    void round() {
        try {
            while (batch() == BATCH) {
                // more is due
            }
            if (failing) {
                failing = false;
                LOG.info("OCSP responses pre-signed again");
            }
        } catch (RuntimeException e) {
            // The database or the token is away: the marks stay, the next round tries again, and OCSP signs on
            // demand meanwhile. Said once per outage, not twice a second.
            if (!failing) {
                failing = true;
                LOG.warnf("OCSP responses not pre-signed, retrying every round: %s", e.getMessage());
            } else {
                LOG.debugf("OCSP responses still not pre-signed: %s", e.getMessage());
            }
        }
    }

    /** Signs and stores one batch; returns how many certificates it took. */
    private int batch() {
        Instant read = Instant.now();
        Map<String, Due> due = new LinkedHashMap<>();
        Await.result(() -> responses.due(BATCH)).forEach(d -> due.put(d.serialNumber(), d));
        if (due.size() < BATCH) {
            // A certificate both marked and aging is signed once, and its mark cleared.
            Await.result(() -> responses.aging(read, BATCH - due.size()))
                    .forEach(d -> due.putIfAbsent(d.serialNumber(), d));
        }
        if (due.isEmpty()) {
            return 0;
        }
        Instant thisUpdate = read.truncatedTo(ChronoUnit.SECONDS);
        List<Signed> signed = new ArrayList<>(due.size());
        List<Due> unserved = new ArrayList<>();
        for (Due d : due.values()) {
            Optional<ServedIssuer> ca = issuers.byName(d.issuer());
            if (ca.isEmpty()) {
                unserved.add(d);
                continue;
            }
            byte[] response = ca.get()
                    .responder()
                    .presign(Serials.parse(d.serialNumber()), d.certificate().status(), thisUpdate);
            signed.add(new Signed(d, response, thisUpdate, thisUpdate.plus(refreshAfter), read));
        }
        Await.result(() -> responses.store(signed, unserved));
        presigned.increment(signed.size());
        return due.size();
    }
}
