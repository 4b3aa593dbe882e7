package io.imprint.revocation.persistence;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.atomic.AtomicLong;

/**
 * How fresh what relying parties fetch is, as gauges for alerts (deploy/observability): the seconds until the
 * soonest nextUpdate of the newest CRLs served (full and delta, every scope; negative once one has expired), the
 * certificates whose OCSP response waits to be pre-signed, and the stored responses past their refresh time by more
 * than a minute. Read from the database every 30 seconds, not at each scrape (a scrape must not wait on it).
 */
@ApplicationScoped
public class RevocationFreshness {
    private static final String READ = "SELECT"
            + " (SELECT extract(epoch FROM min(next_update) - now())::bigint FROM (SELECT DISTINCT ON"
            + " (issuer_key_id, distribution_point, delta_base IS NULL) next_update FROM revocation.crl"
            + " ORDER BY issuer_key_id, distribution_point, delta_base IS NULL, crl_number DESC) newest) AS crl_expiry,"
            + " (SELECT count(*) FROM revocation.ocsp_presign_due) AS presign_backlog,"
            + " (SELECT count(*) FROM revocation.ocsp_response WHERE refresh_at < now() - interval '1 minute')"
            + " AS ocsp_overdue";

    private final Pool pool;
    private final AtomicLong crlExpiry = new AtomicLong(Long.MAX_VALUE);
    private final AtomicLong presignBacklog = new AtomicLong();
    private final AtomicLong ocspOverdue = new AtomicLong();

    public RevocationFreshness(Pool pool, MeterRegistry metrics) {
        this.pool = pool;
        Gauge.builder("imprint.revocation.crl.expiry", crlExpiry, AtomicLong::get)
                .baseUnit("seconds")
                .description("seconds until the soonest nextUpdate of the newest CRLs served")
                .register(metrics);
        Gauge.builder("imprint.revocation.ocsp.presign.backlog", presignBacklog, AtomicLong::get)
                .description("certificates whose OCSP response waits to be pre-signed")
                .register(metrics);
        Gauge.builder("imprint.revocation.ocsp.overdue", ocspOverdue, AtomicLong::get)
                .description("stored OCSP responses more than a minute past their refresh time")
                .register(metrics);
    }

    @Scheduled(every = "30s", delayed = "1s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> read() {
        return pool.query(READ)
                .execute()
                .invoke(rows -> {
                    Row row = rows.iterator().next();
                    Long expiry = row.getLong("crl_expiry");
                    crlExpiry.set(expiry == null ? Long.MAX_VALUE : expiry);
                    presignBacklog.set(row.getLong("presign_backlog"));
                    ocspOverdue.set(row.getLong("ocsp_overdue"));
                })
                // The database is away: the gauges keep their last reading; readiness says the rest.
                .onFailure()
                .recoverWithNull()
                .replaceWithVoid();
    }
}
