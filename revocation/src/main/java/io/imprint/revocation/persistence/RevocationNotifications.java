package io.imprint.revocation.persistence;

import io.quarkus.runtime.ShutdownEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.pgclient.PgConnection;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.function.Consumer;
import org.jboss.logging.Logger;

/**
 * Receives the database's announcement of each revocation (the {@code revoked_certificate} trigger's NOTIFY, sent
 * on commit by whichever instance revoked) on one connection held for it. Says when it starts and stops receiving,
 * so what relies on being told (the OCSP status cache) is used only meanwhile; a lost connection is opened again.
 */
@ApplicationScoped
public class RevocationNotifications {
    static final String CHANNEL = "imprint_revocation_revoked";
    private static final Logger LOG = Logger.getLogger(RevocationNotifications.class);
    private static final Duration RETRY = Duration.ofSeconds(1);

    private final Pool pool;
    private volatile PgConnection connection;
    private volatile boolean stopped;

    public RevocationNotifications(Pool pool) {
        this.pool = pool;
    }

    /** Calls {@code revoked} with each revoked serial, and {@code receiving} when that starts or stops. */
    public void listen(Consumer<String> revoked, Consumer<Boolean> receiving) {
        pool.getConnection()
                .map(PgConnection::cast)
                .chain(pg -> {
                    connection = pg;
                    pg.notificationHandler(n -> revoked.accept(n.getPayload()));
                    pg.closeHandler(() -> {
                        connection = null;
                        lost(revoked, receiving, "connection closed");
                    });
                    return pg.query("LISTEN " + CHANNEL).execute().replaceWith(pg);
                })
                .subscribe()
                .with(
                        pg -> {
                            receiving.accept(true);
                            LOG.info("receiving revocation notifications: OCSP statuses are cached");
                        },
                        failure -> {
                            PgConnection opened = connection;
                            if (opened != null) {
                                connection = null;
                                opened.closeAndForget(); // its close handler tries again
                            } else {
                                lost(revoked, receiving, failure.getMessage());
                            }
                        });
    }

    private void lost(Consumer<String> revoked, Consumer<Boolean> receiving, String why) {
        receiving.accept(false);
        if (stopped) {
            return;
        }
        LOG.warnf("not receiving revocation notifications (%s): OCSP reads the database each time; retrying", why);
        Uni.createFrom().voidItem().onItem().delayIt().by(RETRY).subscribe().with(v -> {
            if (!stopped) {
                listen(revoked, receiving);
            }
        });
    }

    /** Before the pool closes under it: a shutdown is no lost connection. */
    void stopping(@Observes ShutdownEvent shutdown) {
        stopped = true;
    }

    @PreDestroy
    void stop() {
        stopped = true;
        PgConnection open = connection;
        connection = null;
        if (open != null) {
            open.closeAndForget();
        }
    }
}
