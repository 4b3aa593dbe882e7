package io.imprint.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.vertx.core.runtime.context.VertxContextSafetyToggle;
import io.smallrye.common.vertx.VertxContext;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class FreshContextsTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static Vertx vertx;

    @BeforeAll
    static void start() {
        vertx = Vertx.vertx();
    }

    @AfterAll
    static void stop() {
        vertx.close().toCompletionStage().toCompletableFuture().join();
    }

    @Test
    void eachAttemptRunsOnItsOwnSafeDuplicatedContextEvenWhenRetriedFromAForeignThread() {
        FreshContexts contexts = new FreshContexts(vertx);
        List<Context> seen = new ArrayList<>();
        List<Object> leftOver = new ArrayList<>();
        String outcome = contexts.<String>attempt(() -> {
                    Context context = Vertx.currentContext();
                    seen.add(context);
                    VertxContextSafetyToggle.validateContextIfExists("vetoed", "doubtful");
                    leftOver.add(context.getLocal("session"));
                    context.putLocal("session", "broken");
                    // the failure arrives on a thread Vert.x does not know, as a timer's or a pool's would
                    return seen.size() < 3
                            ? Uni.createFrom()
                                    .<String>failure(new IllegalStateException("connection cut"))
                                    .emitOn(Runnable::run)
                                    .runSubscriptionOn(command -> new Thread(command).start())
                            : Uni.createFrom().item("done");
                })
                .onFailure()
                .retry()
                .atMost(5)
                .await()
                .atMost(WAIT);

        assertEquals("done", outcome);
        assertEquals(3, seen.size());
        for (Context context : seen) {
            assertTrue(VertxContext.isDuplicatedContext(context));
            assertTrue(VertxContextSafetyToggle.isExplicitlyMarkedAsSafe(context));
        }
        assertNotSame(seen.get(0), seen.get(1));
        assertNotSame(seen.get(1), seen.get(2));
        leftOver.forEach(value -> assertNull(value, "a retry met the session an earlier attempt left behind"));
    }

    @Test
    void anAttemptThatNeverAnswersFailsTransientlyAfterTheBound() {
        FreshContexts contexts = new FreshContexts(vertx, Duration.ofMillis(200));

        Throwable failure = contexts.<Object>attempt(() -> Uni.createFrom().nothing())
                .onItemOrFailure()
                .transform((item, error) -> error)
                .await()
                .atMost(WAIT);

        assertTrue(failure instanceof TimeoutException, String.valueOf(failure));
        assertTrue(TransientFailures.isTransient(failure));
    }
}
