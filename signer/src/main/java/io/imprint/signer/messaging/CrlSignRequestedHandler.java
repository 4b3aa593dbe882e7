package io.imprint.signer.messaging;

import io.imprint.contracts.events.CrlSignRequestedV1;
import io.imprint.service.Consumption;
import io.imprint.service.EventMessages;
import io.imprint.service.IncomingRecords;
import io.imprint.service.SignedCommands;
import io.imprint.signer.service.CrlSigningService;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.KafkaRecord;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Set;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * Signs CRLs from revocation's entries and publishes them on {@code crl.published}, keyed by the CA's key id.
 * Only a request revocation signed with its service identity is looked at; the signer then holds it against
 * its own CRL history, so neither a forged request nor a genuine but stale or shrunken one changes what
 * relying parties see. Refused requests are set aside on the dead-letter topic with their code. At least once
 * is enough here: a request delivered again after its CRL was published is recognised and not signed twice.
 */
@ApplicationScoped
public class CrlSignRequestedHandler {
    private static final Set<String> REVOCATION = Set.of("revocation");

    private final CrlSigningService crls;
    private final CrlHistoryReader history;
    private final SignedCommands commands;
    private final Consumption consumption;
    private final MutinyEmitter<byte[]> events;

    public CrlSignRequestedHandler(
            CrlSigningService crls,
            CrlHistoryReader history,
            SignedCommands commands,
            Consumption consumption,
            @Channel("crl-out") MutinyEmitter<byte[]> events) {
        this.crls = crls;
        this.history = history;
        this.commands = commands;
        this.consumption = consumption;
        this.events = events;
    }

    @Incoming("crl-sign-requested")
    public Uni<Void> handle(KafkaRecord<String, byte[]> record) {
        return consumption.process(
                record,
                () -> Uni.createFrom()
                        .item(() -> {
                            commands.verify(record, REVOCATION);
                            CrlSignRequestedV1 request = IncomingRecords.decode(record, CrlSignRequestedV1.class);
                            history.catchUp(crls::observe);
                            return crls.sign(request);
                        })
                        .runSubscriptionOn(Infrastructure.getDefaultWorkerPool())
                        .chain(signed -> signed.isEmpty()
                                ? Uni.createFrom().voidItem()
                                : events.sendMessage(EventMessages.of(
                                                signed.get().event(),
                                                signed.get().recordKey(),
                                                "signer"))
                                        .invoke(() -> crls.published(signed.get()))));
    }
}
