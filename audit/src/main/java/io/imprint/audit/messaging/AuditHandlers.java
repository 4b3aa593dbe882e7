package io.imprint.audit.messaging;

import io.imprint.audit.service.AuditService;
import io.imprint.audit.service.AuditService.Entry;
import io.imprint.contracts.events.CertIssuedV1;
import io.imprint.contracts.events.CertRevokedV1;
import io.imprint.contracts.events.CsrRejectedV1;
import io.imprint.contracts.events.ImprintEvent;
import io.imprint.contracts.events.OrderChangedV1;
import io.imprint.contracts.events.ShipmentRecordedV1;
import io.imprint.contracts.events.StationRevokedV1;
import io.imprint.pki.issuance.IssuedCertificateVerifier;
import io.imprint.service.BatchConsumption;
import io.imprint.service.IncomingRecords;
import io.imprint.service.SignedCommands;
import io.quarkus.runtime.Startup;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.kafka.KafkaRecord;
import io.smallrye.reactive.messaging.kafka.KafkaRecordBatch;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Set;
import java.util.function.Function;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * Logs every issued, rejected and revoked certificate, every production-order change, station revocation and
 * shipment, a poll at a time: each poll's records are appended in one transaction, and their offsets committed
 * after it. What the log records must be true: a {@code cert.issued} only if its certificate verifies under a
 * trusted issuing CA and names the event's device, serial and issuer, a {@code cert.revoked} only if revocation
 * signed it, an {@code order.changed} or {@code station.revoked} only if csr-intake signed it. Shipments come
 * from the ERP, or from audit itself for uploaded files: the only principals the broker lets write them.
 * Anything else is quarantined on the channel's dead-letter topic and never logged.
 */
@Startup // built at start, so a missing issuing CA stops the service instead of dead-lettering genuine events
@ApplicationScoped
public class AuditHandlers {
    private static final Set<String> REVOCATION = Set.of("revocation");
    private static final Set<String> INTAKE = Set.of("csr-intake");
    /** Who rejects a request: csr-intake, or the signer refusing one it was asked to sign. */
    private static final Set<String> REJECTERS = Set.of("csr-intake", "signer");

    private final AuditService audit;
    private final IssuedCertificateVerifier certificates;
    private final SignedCommands commands;
    private final BatchConsumption consumption;

    public AuditHandlers(
            AuditService audit,
            IssuedCertificateVerifier certificates,
            SignedCommands commands,
            BatchConsumption consumption) {
        this.audit = audit;
        this.certificates = certificates;
        this.commands = commands;
        this.consumption = consumption;
    }

    @Incoming("cert-issued")
    public Uni<Void> onIssued(KafkaRecordBatch<String, byte[]> batch) {
        return log(batch, record -> {
            CertIssuedV1 issued = IncomingRecords.decode(record, CertIssuedV1.class);
            certificates.verify(issued.certificate(), issued.deviceId(), issued.serialNumber(), issued.issuer());
            return issued;
        });
    }

    @Incoming("csr-rejected")
    public Uni<Void> onRejected(KafkaRecordBatch<String, byte[]> batch) {
        return log(batch, record -> {
            commands.verify(record, REJECTERS);
            return IncomingRecords.decode(record, CsrRejectedV1.class);
        });
    }

    @Incoming("cert-revoked")
    public Uni<Void> onRevoked(KafkaRecordBatch<String, byte[]> batch) {
        return log(batch, record -> {
            commands.verify(record, REVOCATION);
            return IncomingRecords.decode(record, CertRevokedV1.class);
        });
    }

    @Incoming("order-changed")
    public Uni<Void> onOrderChanged(KafkaRecordBatch<String, byte[]> batch) {
        return log(batch, record -> {
            commands.verify(record, INTAKE);
            return IncomingRecords.decode(record, OrderChangedV1.class);
        });
    }

    @Incoming("station-revoked")
    public Uni<Void> onStationRevoked(KafkaRecordBatch<String, byte[]> batch) {
        return log(batch, record -> {
            commands.verify(record, INTAKE);
            return IncomingRecords.decode(record, StationRevokedV1.class);
        });
    }

    @Incoming("shipment-recorded")
    public Uni<Void> onShipment(KafkaRecordBatch<String, byte[]> batch) {
        return log(batch, record -> IncomingRecords.decode(record, ShipmentRecordedV1.class));
    }

    /** Checks each record with {@code check} (the event it proves, or a refusal), then logs the poll at once. */
    private Uni<Void> log(
            KafkaRecordBatch<String, byte[]> batch, Function<KafkaRecord<String, byte[]>, ImprintEvent> check) {
        return consumption.process(
                batch, record -> Entry.of(check.apply(record), record.getPayload()), audit::appendAll);
    }
}
