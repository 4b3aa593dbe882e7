package io.imprint.fleet.messaging;

import io.imprint.contracts.events.CertIssuedV1;
import io.imprint.contracts.events.CertRevokedV1;
import io.imprint.contracts.events.ShipmentRecordedV1;
import io.imprint.fleet.service.FleetService;
import io.imprint.fleet.service.FleetService.Issued;
import io.imprint.fleet.service.FleetService.Revoked;
import io.imprint.fleet.service.FleetService.Shipped;
import io.imprint.pki.issuance.IssuedCertificateVerifier;
import io.imprint.service.BatchConsumption;
import io.imprint.service.IncomingRecords;
import io.imprint.service.SignedCommands;
import io.quarkus.runtime.Startup;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.kafka.KafkaRecordBatch;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Set;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * Registers devices from issued certificates, marks them revoked and shipped, a poll at a time: each poll's
 * changes commit in one transaction with the events they announce (the outbox, which {@link OutboxPublisher}
 * sends), and its offsets after that, so nothing is lost on a crash. Only what is true moves the inventory: a
 * certificate that verifies under a trusted issuing CA and names the event's device, serial and issuer, a
 * revocation that revocation signed, and shipments from the ERP (the only principal the broker lets write them);
 * anything else is quarantined.
 */
@Startup // built at start, so a missing issuing CA stops the service instead of dead-lettering genuine events
@ApplicationScoped
public class FleetHandlers {
    private static final Set<String> REVOCATION = Set.of("revocation");

    private final FleetService fleet;
    private final IssuedCertificateVerifier certificates;
    private final SignedCommands commands;
    private final BatchConsumption consumption;

    public FleetHandlers(
            FleetService fleet,
            IssuedCertificateVerifier certificates,
            SignedCommands commands,
            BatchConsumption consumption) {
        this.fleet = fleet;
        this.certificates = certificates;
        this.commands = commands;
        this.consumption = consumption;
    }

    @Incoming("cert-issued")
    public Uni<Void> onIssued(KafkaRecordBatch<String, byte[]> batch) {
        return consumption.process(
                batch,
                record -> {
                    CertIssuedV1 issued = IncomingRecords.decode(record, CertIssuedV1.class);
                    return new Issued(
                            issued,
                            certificates.verify(
                                    issued.certificate(), issued.deviceId(), issued.serialNumber(), issued.issuer()));
                },
                fleet::apply);
    }

    @Incoming("cert-revoked")
    public Uni<Void> onRevoked(KafkaRecordBatch<String, byte[]> batch) {
        return consumption.process(
                batch,
                record -> {
                    commands.verify(record, REVOCATION);
                    return new Revoked(IncomingRecords.decode(record, CertRevokedV1.class));
                },
                fleet::apply);
    }

    @Incoming("shipment-recorded")
    public Uni<Void> onShipment(KafkaRecordBatch<String, byte[]> batch) {
        return consumption.process(
                batch, record -> new Shipped(IncomingRecords.decode(record, ShipmentRecordedV1.class)), fleet::apply);
    }
}
