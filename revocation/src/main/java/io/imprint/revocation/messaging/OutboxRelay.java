package io.imprint.revocation.messaging;

import io.imprint.revocation.config.RevocationConfig;
import io.imprint.revocation.service.RevocationOutbox;
import io.imprint.revocation.service.RevocationOutbox.Pending;
import io.imprint.revocation.service.RevocationService;
import io.imprint.service.Await;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * Empties the outbox: asks for one CRL per CA marked since the last round (however many revocations it covers),
 * then sends every committed event in id order, a batch at a time, and deletes a batch only once the broker has
 * all of it. A crash in between sends the batch again; readers take the same requestId as the same event. A tick
 * does nothing unless this instance committed work since the last one or a sweep is due; the sweep picks up what
 * another instance, or this one before a crash, left.
 */
@ApplicationScoped
public class OutboxRelay {
    /** The scheduled job's identity, for pausing it. */
    public static final String JOB = "revocation-outbox-relay";

    private static final Logger LOG = Logger.getLogger(OutboxRelay.class);
    private final RevocationService revocation;
    private final RevocationOutbox outbox;
    private final SignedEventPublisher publisher;
    private final long sweepNanos;
    private long lastRound = Long.MIN_VALUE;

    public OutboxRelay(
            RevocationService revocation,
            RevocationOutbox outbox,
            SignedEventPublisher publisher,
            RevocationConfig config) {
        this.revocation = revocation;
        this.outbox = outbox;
        this.publisher = publisher;
        this.sweepNanos = config.outboxSweep().toNanos();
    }

    @Scheduled(
            identity = JOB,
            every = "${imprint.revocation.outbox-interval}",
            delayed = "${imprint.revocation.outbox-interval}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void tick() {
        long now = System.nanoTime();
        if (!outbox.takeWork() && lastRound != Long.MIN_VALUE && now - lastRound < sweepNanos) {
            return;
        }
        lastRound = now;
        try {
            round();
        } catch (RuntimeException e) {
            // The broker or the database is away, or the channel is not wired yet at start: the next sweep tries
            // again, and nothing committed is lost meanwhile.
            LOG.warnf("revocation events not sent yet: %s", e.getMessage());
        }
    }

    /** One round: the due CRL requests, then every pending event. */
    void round() {
        Await.result(revocation::requestDueCrls);
        List<Pending> batch;
        do {
            batch = Await.result(() -> outbox.pending(SignedEventPublisher.BATCH));
            if (!batch.isEmpty()) {
                publisher.sendAll(batch);
                List<Long> ids = batch.stream().map(Pending::id).toList();
                Await.result(() -> outbox.sent(ids));
            }
        } while (batch.size() == SignedEventPublisher.BATCH);
    }
}
