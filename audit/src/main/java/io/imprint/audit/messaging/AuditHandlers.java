package io.imprint.audit.messaging;

import io.imprint.audit.service.AuditService;
import io.imprint.contracts.events.CertIssuedV1;
import io.imprint.contracts.events.CertRevokedV1;
import io.imprint.contracts.events.CsrRejectedV1;
import io.imprint.service.IncomingRecords;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/** Logs every issued, rejected and revoked event; offsets are committed after the row is. */
@ApplicationScoped
public class AuditHandlers {
    private final AuditService audit;

    public AuditHandlers(AuditService audit) {
        this.audit = audit;
    }

    @Incoming("cert-issued")
    public Uni<Void> onIssued(ConsumerRecord<String, byte[]> record) {
        return audit.append(IncomingRecords.decode(record, CertIssuedV1.class), record.value());
    }

    @Incoming("csr-rejected")
    public Uni<Void> onRejected(ConsumerRecord<String, byte[]> record) {
        return audit.append(IncomingRecords.decode(record, CsrRejectedV1.class), record.value());
    }

    @Incoming("cert-revoked")
    public Uni<Void> onRevoked(ConsumerRecord<String, byte[]> record) {
        return audit.append(IncomingRecords.decode(record, CertRevokedV1.class), record.value());
    }
}
