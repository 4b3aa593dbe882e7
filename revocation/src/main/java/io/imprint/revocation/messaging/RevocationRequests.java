package io.imprint.revocation.messaging;

import io.imprint.contracts.MalformedEventException;
import io.imprint.contracts.events.RevocationRequestedV1;
import io.imprint.pki.Serials;
import io.imprint.pki.operator.OperatorIdentity;
import io.imprint.revocation.service.RevocationComments;
import io.imprint.revocation.service.RevocationService;
import io.imprint.revocation.service.RevocationService.Outcome;
import io.imprint.service.Consumption;
import io.imprint.service.IncomingRecords;
import io.imprint.service.OperatorRequests;
import io.imprint.service.OperatorRoles;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.kafka.KafkaRecord;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/**
 * Revokes what operators asked for by a signed record ({@code revocation.requested}) instead of the HTTPS API: an
 * offline factory's revocations made at headquarters reach it this way over its link. The operator's signature and
 * revoker role are checked as the API checks their certificate and role; the revocation keeps the request's id, so the
 * {@code cert.revoked} that goes back names the request the operator's tool printed. A serial this service never
 * recorded (another factory's, at a site that serves only its own CA) revokes nothing and is counted.
 */
@ApplicationScoped
public class RevocationRequests {
    private static final Logger LOG = Logger.getLogger(RevocationRequests.class);
    /** The request id is stored as it is (request_id, 128 characters) and shown in logs: a plain token only. */
    private static final Pattern REQUEST_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:-]{0,127}");

    private final RevocationService revocation;
    private final OperatorRequests operators;
    private final Consumption consumption;
    private final MeterRegistry metrics;

    public RevocationRequests(
            RevocationService revocation, OperatorRequests operators, Consumption consumption, MeterRegistry metrics) {
        this.revocation = revocation;
        this.operators = operators;
        this.consumption = consumption;
        this.metrics = metrics;
    }

    @Incoming("revocation-requested")
    public Uni<Void> onRequested(KafkaRecord<String, byte[]> record) {
        return consumption.process(record, () -> {
            RevocationRequestedV1 request = IncomingRecords.decode(record, RevocationRequestedV1.class);
            OperatorIdentity operator = operators.verify(record, request.operator(), OperatorRoles.REVOKER);
            if (!REQUEST_ID.matcher(request.requestId()).matches()) {
                throw new MalformedEventException(
                        "requestId must be 1 to 128 letters, digits, '.', '_', ':' or '-'", null);
            }
            String serial;
            try {
                serial = Serials.hex(Serials.parse(request.serialNumber()));
            } catch (IllegalArgumentException e) {
                throw new MalformedEventException("serialNumber must be 1 to 40 hex digits", null);
            }
            String comment = RevocationComments.kept(request.comment());
            if (RevocationComments.invalid(comment)) {
                throw new MalformedEventException(RevocationComments.RULE, null);
            }
            // A request id names one revocation (audit logs each once): reused for another serial, it is refused.
            return revocation
                    .serialRevokedBy(request.requestId())
                    .chain(earlier -> {
                        if (earlier != null && !earlier.equals(serial)) {
                            throw new MalformedEventException(
                                    "requestId " + request.requestId() + " already names the revocation of another"
                                            + " serial",
                                    null);
                        }
                        return revocation.revokeOnRequest(new RevocationService.Revocation(
                                serial, request.reason(), operator.name(), comment, null, request.requestId()));
                    })
                    .invoke(outcome -> settled(request, serial, outcome));
        });
    }

    private void settled(RevocationRequestedV1 request, String serial, Outcome outcome) {
        String counted;
        if (outcome instanceof Outcome.NotYetRecorded) {
            // Issued but not recorded yet: waited out like an outage, the record retried until it is.
            throw new CompletionException(
                    new TimeoutException("serial " + serial + " is issued but not recorded here yet"));
        } else if (outcome instanceof Outcome.NotIssued) {
            counted = "not-issued";
            LOG.warnf(
                    "revocation request %s of operator %s: serial %s was never issued by a CA this service serves;"
                            + " nothing revoked",
                    request.requestId(), request.operator(), serial);
        } else if (outcome instanceof Outcome.AlreadyRevoked) {
            counted = "already-revoked";
        } else {
            counted = "revoked";
            LOG.infof(
                    "revocation request %s of operator %s revoked serial %s",
                    request.requestId(), request.operator(), serial);
        }
        metrics.counter("imprint.revocation.requests", "outcome", counted).increment();
    }
}
