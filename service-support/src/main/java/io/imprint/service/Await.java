package io.imprint.service;

import io.quarkus.vertx.VertxContextSupport;
import io.smallrye.mutiny.Uni;
import java.util.function.Supplier;

/** Runs a reactive database call from a blocking worker thread and waits for it. */
public final class Await {
    private Await() {}

    public static <T> T result(Supplier<Uni<T>> work) {
        try {
            return VertxContextSupport.subscribeAndAwait(work);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable e) {
            throw new IllegalStateException("database call failed: " + e.getMessage(), e);
        }
    }
}
