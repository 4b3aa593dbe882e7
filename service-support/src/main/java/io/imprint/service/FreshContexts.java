package io.imprint.service;

import io.quarkus.vertx.core.runtime.context.VertxContextSafetyToggle;
import io.smallrye.common.vertx.VertxContext;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * Runs each attempt at a record's work on a Vert.x context of its own, marked safe, with a bound on how long it
 * may go unanswered. Hibernate Reactive keeps its session in the current context: a retry after an outage resumes
 * on whatever thread delivered the failure (the pool's event loop, the backoff timer), where Panache refuses to
 * open a session, and a second attempt in the first one's context would meet its broken session. An attempt that
 * never answers (a connection cut mid-statement can leave a query waiting forever) fails with a
 * {@link TimeoutException}, which is transient, so it is retried instead of stalling the
 * channel.
 */
@ApplicationScoped
public class FreshContexts {
    /** Longer than any poll's work takes when its dependencies answer; only a lost answer comes near it. */
    static final Duration UNANSWERED = Duration.ofSeconds(60);

    private final Vertx vertx;
    private final Duration unanswered;

    @Inject
    public FreshContexts(Vertx vertx) {
        this(vertx, UNANSWERED);
    }

    FreshContexts(Vertx vertx, Duration unanswered) {
        this.vertx = vertx;
        this.unanswered = unanswered;
    }

    public <T> Uni<T> attempt(Supplier<Uni<? extends T>> work) {
        return Uni.createFrom().deferred(() -> {
            Context context = VertxContext.createNewDuplicatedContext(vertx.getOrCreateContext());
            VertxContextSafetyToggle.setContextSafe(context, true);
            return Uni.createFrom()
                    .<T>deferred(work)
                    .runSubscriptionOn(task -> context.runOnContext(ignored -> task.run()))
                    .ifNoItem()
                    .after(unanswered)
                    .failWith(() -> new TimeoutException("no answer within " + unanswered.toSeconds() + " s"));
        });
    }
}
