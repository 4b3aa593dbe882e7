package io.imprint.signer.messaging;

import io.imprint.service.ConsumerProgress;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.kafka.KafkaRecordBatch;
import io.smallrye.reactive.messaging.kafka.transactions.KafkaTransactions;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * Exactly once: each poll's batch of {@code csr.accepted} records is signed, and its {@code cert.issued} /
 * {@code csr.rejected} events (and any dead letters) are produced together with the batch's consumer
 * offsets in one Kafka transaction. A crash before the commit aborts the transaction: read-committed
 * consumers never see its events, the offsets stay where they were, and the batch is signed again, to the
 * same TBS certificates (serial and validity come from the request). Batches run one after another, so
 * one transaction is open at a time; inside a batch, requests are signed in parallel and their events sent,
 * in record order, while the rest are signed.
 */
@ApplicationScoped
public class CsrAcceptedHandler {
    private final BatchSigner signer;
    private final KafkaTransactions<byte[]> transactions;
    private final ConsumerProgress progress;

    public CsrAcceptedHandler(
            BatchSigner signer,
            @Channel("signer-tx") KafkaTransactions<byte[]> transactions,
            ConsumerProgress progress) {
        this.signer = signer;
        this.transactions = transactions;
        this.progress = progress;
    }

    @Incoming("csr-accepted")
    public Uni<Void> handle(KafkaRecordBatch<String, byte[]> batch) {
        // Signing runs inside the transaction: if the HSM fails, the transaction aborts and the consumer
        // goes back to the last committed offset, so no request is skipped.
        return progress.tracked(() ->
                transactions.withTransactionAndAck(batch, emitter -> signer.sign(batch.getRecords(), emitter::send)));
    }
}
