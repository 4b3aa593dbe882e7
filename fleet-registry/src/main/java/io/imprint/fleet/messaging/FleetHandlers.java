package io.imprint.fleet.messaging;

import io.imprint.contracts.events.CertIssuedV1;
import io.imprint.contracts.events.CertRevokedV1;
import io.imprint.fleet.service.FleetService;
import io.imprint.service.EventMessages;
import io.imprint.service.IncomingRecords;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * Registers devices from issued certificates and publishes {@code device.added} after the inventory
 * commit; marks devices revoked. Offsets are committed after both, so nothing is lost on a crash.
 */
@ApplicationScoped
public class FleetHandlers {
    private final FleetService fleet;
    private final MutinyEmitter<byte[]> events;

    public FleetHandlers(FleetService fleet, @Channel("events-out") MutinyEmitter<byte[]> events) {
        this.fleet = fleet;
        this.events = events;
    }

    @Incoming("cert-issued")
    public Uni<Void> onIssued(ConsumerRecord<String, byte[]> record) {
        CertIssuedV1 issued = IncomingRecords.decode(record, CertIssuedV1.class);
        return fleet.register(issued)
                .chain(added -> events.sendMessage(EventMessages.of(added, added.deviceId(), "fleet-registry")));
    }

    @Incoming("cert-revoked")
    public Uni<Void> onRevoked(ConsumerRecord<String, byte[]> record) {
        return fleet.revoked(IncomingRecords.decode(record, CertRevokedV1.class));
    }
}
