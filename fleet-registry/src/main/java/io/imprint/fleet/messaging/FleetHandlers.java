package io.imprint.fleet.messaging;

import io.imprint.contracts.events.CertIssuedV1;
import io.imprint.contracts.events.CertRevokedV1;
import io.imprint.contracts.events.ShipmentRecordedV1;
import io.imprint.fleet.service.FleetService;
import io.imprint.pki.issuance.IssuedCertificateVerifier;
import io.imprint.service.Consumption;
import io.imprint.service.IncomingRecords;
import io.imprint.service.SignedCommands;
import io.quarkus.runtime.Startup;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.kafka.KafkaRecord;
import jakarta.enterprise.context.ApplicationScoped;
import java.security.cert.X509Certificate;
import java.util.Set;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * Registers devices from issued certificates, marks them revoked and shipped; the events the changes announce
 * commit with them into the outbox ({@link OutboxPublisher} sends them). Offsets are committed after the
 * change, so nothing is lost on a crash. Only what is true moves the inventory: a certificate that verifies
 * under a trusted issuing CA and names the event's device, serial and issuer, a revocation that revocation
 * signed, and shipments from the ERP (the only principal the broker lets write them); anything else is
 * quarantined.
 */
@Startup // built at start, so a missing issuing CA stops the service instead of dead-lettering genuine events
@ApplicationScoped
public class FleetHandlers {
    private static final Set<String> REVOCATION = Set.of("revocation");

    private final FleetService fleet;
    private final IssuedCertificateVerifier certificates;
    private final SignedCommands commands;
    private final Consumption consumption;

    public FleetHandlers(
            FleetService fleet,
            IssuedCertificateVerifier certificates,
            SignedCommands commands,
            Consumption consumption) {
        this.fleet = fleet;
        this.certificates = certificates;
        this.commands = commands;
        this.consumption = consumption;
    }

    @Incoming("cert-issued")
    public Uni<Void> onIssued(KafkaRecord<String, byte[]> record) {
        return consumption.process(record, () -> {
            CertIssuedV1 issued = IncomingRecords.decode(record, CertIssuedV1.class);
            X509Certificate certificate = certificates.verify(
                    issued.certificate(), issued.deviceId(), issued.serialNumber(), issued.issuer());
            return fleet.register(issued, certificate);
        });
    }

    @Incoming("cert-revoked")
    public Uni<Void> onRevoked(KafkaRecord<String, byte[]> record) {
        return consumption.process(record, () -> {
            commands.verify(record, REVOCATION);
            return fleet.revoked(IncomingRecords.decode(record, CertRevokedV1.class));
        });
    }

    @Incoming("shipment-recorded")
    public Uni<Void> onShipment(KafkaRecord<String, byte[]> record) {
        return consumption.process(
                record, () -> fleet.shipped(IncomingRecords.decode(record, ShipmentRecordedV1.class)));
    }
}
