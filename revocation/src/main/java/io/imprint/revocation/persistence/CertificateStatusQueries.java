package io.imprint.revocation.persistence;

import io.imprint.contracts.RevocationReason;
import io.imprint.pki.Serials;
import io.imprint.pki.crl.RevokedEntry;
import io.imprint.pki.ocsp.CertificateStatus;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * The OCSP path's one read: for the serials a request asks about, which of them this CA issued and, of those,
 * which are revoked, in one prepared statement on the reactive client (no ORM session per request: an OCSP
 * responder answers far more often than anything else here changes).
 */
@ApplicationScoped
public class CertificateStatusQueries {
    private static final String STATUSES = "SELECT i.serial_number, r.reason, r.revoked_at"
            + " FROM revocation.issued_certificate i"
            + " LEFT JOIN revocation.revoked_certificate r ON r.serial_number = i.serial_number"
            + " WHERE i.serial_number = ANY($1) AND i.issuer = $2";

    private final Pool pool;

    public CertificateStatusQueries(Pool pool) {
        this.pool = pool;
    }

    /** A certificate {@code issuer} issued; {@code reason} and {@code revokedAt} are null while it is good. */
    public record Issued(String serialNumber, RevocationReason reason, Instant revokedAt) {
        /** The certificate of a row with {@code serial_number}, {@code reason} and {@code revoked_at}. */
        static Issued of(Row row) {
            String reason = row.getString("reason");
            OffsetDateTime revokedAt = row.getOffsetDateTime("revoked_at");
            return new Issued(
                    row.getString("serial_number"),
                    reason == null ? null : RevocationReason.valueOf(reason),
                    revokedAt == null ? null : revokedAt.toInstant());
        }

        /** What OCSP states of it: good, or revoked with its time and reason. */
        public CertificateStatus status() {
            return reason == null
                    ? new CertificateStatus.Good()
                    : new CertificateStatus.Revoked(
                            new RevokedEntry(Serials.parse(serialNumber), revokedAt, reason.code()));
        }
    }

    /** Of {@code serials} (lower-case hex), those {@code issuer} issued, with their revocation if any. */
    public Uni<List<Issued>> issuedBy(String issuer, Collection<String> serials) {
        return pool.preparedQuery(STATUSES)
                .execute(Tuple.of(serials.toArray(String[]::new), issuer))
                .map(rows -> {
                    List<Issued> issued = new ArrayList<>();
                    for (Row row : rows) {
                        issued.add(Issued.of(row));
                    }
                    return issued;
                });
    }
}
