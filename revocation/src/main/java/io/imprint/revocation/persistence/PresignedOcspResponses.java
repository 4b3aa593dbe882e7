package io.imprint.revocation.persistence;

import io.imprint.contracts.RevocationReason;
import io.smallrye.mutiny.Uni;
import io.vertx.core.buffer.Buffer;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The store of pre-signed OCSP responses ({@code ocsp_response}) and of the certificates whose response is due
 * ({@code ocsp_presign_due}, marked by the database itself when a certificate is recorded or revoked). On the
 * reactive client: the OCSP path reads one response by serial.
 */
@ApplicationScoped
public class PresignedOcspResponses {
    private static final String STATUS = "SELECT %s, i.issuer, r.reason, r.revoked_at FROM %s"
            + " JOIN revocation.issued_certificate i ON i.serial_number = %s"
            + " LEFT JOIN revocation.revoked_certificate r ON r.serial_number = i.serial_number";
    private static final String DUE =
            STATUS.formatted("d.serial_number, d.version", "revocation.ocsp_presign_due d", "d.serial_number")
                    + " ORDER BY d.version LIMIT $1";
    private static final String AGING = STATUS.formatted(
                    "o.serial_number, NULL::bigint AS version", "revocation.ocsp_response o", "o.serial_number")
            + " WHERE o.refresh_at <= $1 ORDER BY o.refresh_at LIMIT $2";
    private static final String STORE = "INSERT INTO revocation.ocsp_response"
            + " (serial_number, issuer, revoked, response, this_update, refresh_at, status_read_at)"
            + " SELECT * FROM unnest($1::varchar[], $2::varchar[], $3::boolean[], $4::bytea[], $5::timestamptz[],"
            + " $6::timestamptz[], $7::timestamptz[])"
            + " ON CONFLICT (serial_number) DO UPDATE SET issuer = EXCLUDED.issuer, revoked = EXCLUDED.revoked,"
            + " response = EXCLUDED.response, this_update = EXCLUDED.this_update, refresh_at = EXCLUDED.refresh_at,"
            + " status_read_at = EXCLUDED.status_read_at"
            + " WHERE revocation.ocsp_response.status_read_at < EXCLUDED.status_read_at";
    private static final String CLEAR = "DELETE FROM revocation.ocsp_presign_due d"
            + " USING unnest($1::varchar[], $2::bigint[]) AS c (serial_number, version)"
            + " WHERE d.serial_number = c.serial_number AND d.version = c.version";
    private static final String PRESIGNED = "SELECT response, revoked, this_update FROM revocation.ocsp_response"
            + " WHERE serial_number = $1 AND issuer = $2";

    private final Pool pool;

    public PresignedOcspResponses(Pool pool) {
        this.pool = pool;
    }

    /**
     * A certificate whose response is to be signed, with its status as read.
     *
     * @param version the mark read (null for a response refreshed because of its age), cleared once stored
     */
    public record Due(String serialNumber, Long version, String issuer, RevocationReason reason, Instant revokedAt) {
        /** The certificate and the status a response for it states. */
        public CertificateStatusQueries.Issued certificate() {
            return new CertificateStatusQueries.Issued(serialNumber, reason, revokedAt);
        }
    }

    /**
     * A response signed for {@code due}.
     *
     * @param statusReadAt when the status it states was read: of two signings of one certificate, the later read wins
     */
    @SuppressWarnings("ArrayRecordComponent") // never changed once signed
    public record Signed(Due due, byte[] response, Instant thisUpdate, Instant refreshAt, Instant statusReadAt) {}

    /** A stored response; {@code revoked} is the status it states. */
    @SuppressWarnings("ArrayRecordComponent") // never changed once signed
    public record Presigned(byte[] response, boolean revoked, Instant thisUpdate) {}

    /** Up to {@code limit} marked certificates, oldest mark first. */
    public Uni<List<Due>> due(int limit) {
        return pool.preparedQuery(DUE).execute(Tuple.of(limit)).map(PresignedOcspResponses::dues);
    }

    /** Up to {@code limit} stored responses whose refresh time has come by {@code now}, the oldest first. */
    public Uni<List<Due>> aging(Instant now, int limit) {
        return pool.preparedQuery(AGING)
                .execute(Tuple.of(now.atOffset(ZoneOffset.UTC), limit))
                .map(PresignedOcspResponses::dues);
    }

    /**
     * Stores the responses and clears the marks they answer, and the marks of {@code unserved} (certificates of a CA
     * no responder here answers for), in one transaction.
     */
    public Uni<Void> store(List<Signed> signed, List<Due> unserved) {
        int n = signed.size();
        String[] serials = new String[n];
        String[] issuers = new String[n];
        Boolean[] revoked = new Boolean[n];
        Buffer[] responses = new Buffer[n];
        OffsetDateTime[] thisUpdates = new OffsetDateTime[n];
        OffsetDateTime[] refreshes = new OffsetDateTime[n];
        OffsetDateTime[] reads = new OffsetDateTime[n];
        List<String> marked = new ArrayList<>();
        List<Long> versions = new ArrayList<>();
        for (Due d : unserved) {
            if (d.version() != null) {
                marked.add(d.serialNumber());
                versions.add(d.version());
            }
        }
        for (int i = 0; i < n; i++) {
            Signed s = signed.get(i);
            serials[i] = s.due().serialNumber();
            issuers[i] = s.due().issuer();
            revoked[i] = s.due().reason() != null;
            responses[i] = Buffer.buffer(s.response());
            thisUpdates[i] = s.thisUpdate().atOffset(ZoneOffset.UTC);
            refreshes[i] = s.refreshAt().atOffset(ZoneOffset.UTC);
            reads[i] = s.statusReadAt().atOffset(ZoneOffset.UTC);
            if (s.due().version() != null) {
                marked.add(s.due().serialNumber());
                versions.add(s.due().version());
            }
        }
        return pool.withTransaction(connection -> connection
                .preparedQuery(STORE)
                .execute(Tuple.from(List.of(serials, issuers, revoked, responses, thisUpdates, refreshes, reads)))
                .chain(() -> connection
                        .preparedQuery(CLEAR)
                        .execute(Tuple.of(marked.toArray(String[]::new), versions.toArray(Long[]::new))))
                .replaceWithVoid());
    }

    /** Drops every mark: with pre-signing off, what the database marks is not wanted (and would pile up). */
    public Uni<Void> dropMarks() {
        return pool.query("DELETE FROM revocation.ocsp_presign_due").execute().replaceWithVoid();
    }

    /** The response pre-signed for a certificate {@code issuer} issued, if any. */
    public Uni<Optional<Presigned>> presigned(String issuer, String serialNumber) {
        return pool.preparedQuery(PRESIGNED)
                .execute(Tuple.of(serialNumber, issuer))
                .map(rows -> {
                    if (rows.size() == 0) {
                        return Optional.empty();
                    }
                    Row row = rows.iterator().next();
                    return Optional.of(new Presigned(
                            row.getBuffer("response").getBytes(),
                            row.getBoolean("revoked"),
                            row.getOffsetDateTime("this_update").toInstant()));
                });
    }

    private static List<Due> dues(RowSet<Row> rows) {
        List<Due> due = new ArrayList<>(rows.size());
        for (Row row : rows) {
            CertificateStatusQueries.Issued issued = CertificateStatusQueries.Issued.of(row);
            due.add(new Due(
                    issued.serialNumber(),
                    row.getLong("version"),
                    row.getString("issuer"),
                    issued.reason(),
                    issued.revokedAt()));
        }
        return due;
    }
}
