package io.imprint.revocation.messaging;

import io.imprint.revocation.config.RevocationConfig;
import io.imprint.revocation.service.CrlService;
import io.imprint.revocation.service.RevocationOutbox;
import io.imprint.revocation.service.RevocationOutbox.Pending;
import io.imprint.service.Await;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jboss.logging.Logger;

/**
 * Empties the outbox in rounds: asks for one CRL per scope marked since the last round (however many revocations it
 * covers), then sends every committed event in id order, a batch at a time, and deletes a batch only once the
 * broker has all of it. A crash in between sends the batch again; readers take the same requestId as the same
 * event. A commit here starts a round {@code outbox-interval} later, for everything committed by then (so a burst
 * of revocations shares one CRL); a sweep every {@code outbox-sweep} picks up what another instance, or this one
 * before a crash or during an outage, left. Rounds run one at a time on a thread of their own (the Quarkus
 * scheduler's granularity is a second, too coarse for a revocation visible within one).
 */
@ApplicationScoped
public class OutboxRelay {
    private static final Logger LOG = Logger.getLogger(OutboxRelay.class);
    private final CrlService crls;
    private final RevocationOutbox outbox;
    private final SignedEventPublisher publisher;
    private final long intervalMillis;
    private final long sweepMillis;
    private final AtomicBoolean roundDue = new AtomicBoolean();
    private final ScheduledExecutorService rounds = Executors.newSingleThreadScheduledExecutor(work -> {
        Thread thread = new Thread(work, "revocation-outbox-relay");
        thread.setDaemon(true);
        return thread;
    });
    private volatile boolean held;

    public OutboxRelay(
            CrlService crls, RevocationOutbox outbox, SignedEventPublisher publisher, RevocationConfig config) {
        this.crls = crls;
        this.outbox = outbox;
        this.publisher = publisher;
        this.intervalMillis = config.outboxInterval().toMillis();
        this.sweepMillis = config.outboxSweep().toMillis();
    }

    void start(@Observes StartupEvent start) {
        outbox.onCommit(this::wake);
        // The first sweep a second in, once the outgoing channel is wired, for what an earlier run left.
        // round() catches every failure it can recover from; the future is not needed.
        var unused = rounds.scheduleWithFixedDelay(this::round, 1000, sweepMillis, TimeUnit.MILLISECONDS);
    }

    @PreDestroy
    void stop() {
        rounds.shutdownNow();
    }

    /** A commit left work: one round, {@code outbox-interval} from the first such commit, takes it and the rest. */
    void wake() {
        if (roundDue.compareAndSet(false, true)) {
            var unused = rounds.schedule(
                    () -> {
                        roundDue.set(false);
                        round();
                    },
                    intervalMillis,
                    TimeUnit.MILLISECONDS);
        }
    }

    /**
     * Holds the relay (after a round in progress ends): commits wait in the outbox until {@link #release()}. For
     * tests that look at what a round takes together, and for an SRE draining a broker.
     */
    public void hold() {
        held = true;
        try {
            rounds.submit(() -> {}).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Lets the relay go on, with a round for what waited. */
    public void release() {
        held = false;
        wake();
    }

    private void round() {
        if (held) {
            return;
        }
        try {
            List<Pending> batch;
            do {
                // Marks left while a backlog drains are taken at once: their CRL requests go out first.
                Await.result(crls::requestDueCrls);
                batch = Await.result(() -> outbox.pending(SignedEventPublisher.BATCH));
                if (!batch.isEmpty()) {
                    publisher.sendAll(batch);
                    List<Long> ids = batch.stream().map(Pending::id).toList();
                    Await.result(() -> outbox.sent(ids));
                }
                // A batch holds only a few CRL requests, so a short one does not mean the outbox is empty.
            } while (!batch.isEmpty() && !held);
        } catch (RuntimeException e) {
            // The broker or the database is away, or the channel is not wired yet at start: the next sweep tries
            // again, and nothing committed is lost meanwhile.
            LOG.warnf("revocation events not sent yet: %s", e.getMessage());
        }
    }
}
