package io.imprint.service;

import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.kafka.KafkaRecord;
import io.smallrye.reactive.messaging.kafka.KafkaRecordBatch;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Processes one poll's records as a whole, so a consumer keeps pace with a burst: each record is checked on its
 * own (a record refused as untrusted or malformed is set aside on the dead-letter topic, as {@link Consumption}
 * does), then the work of all the others runs once, in one transaction, and they are acknowledged together. An
 * outage met by the batch's work is waited out, the whole batch retried. Any other failure of the batch falls
 * back to record by record, so only the record at fault reaches the dead-letter topic.
 */
@ApplicationScoped
public class BatchConsumption {
    private final Consumption consumption;
    private final ConsumerProgress progress;
    private final FreshContexts contexts;

    public BatchConsumption(Consumption consumption, ConsumerProgress progress, FreshContexts contexts) {
        this.consumption = consumption;
        this.progress = progress;
        this.contexts = contexts;
    }

    /** A record and what its check made of it. */
    public record Checked<E>(KafkaRecord<String, byte[]> record, E item) {}

    /**
     * Settles every record of the batch: refused, done, or (after a failure of the batch) one by one.
     *
     * @param check what a record is worth to {@code work}, or an exception refusing it
     * @param work everything the batch's accepted records ask for, in record order, in one transaction
     */
    public <E> Uni<Void> process(
            KafkaRecordBatch<String, byte[]> batch,
            Function<KafkaRecord<String, byte[]>, E> check,
            Function<List<E>, Uni<?>> work) {
        return progress.tracked(() -> {
            List<Checked<E>> accepted = new ArrayList<>();
            List<Uni<Void>> refusals = new ArrayList<>();
            for (KafkaRecord<String, byte[]> record : batch.getRecords()) {
                try {
                    accepted.add(new Checked<>(record, check.apply(record)));
                } catch (RuntimeException e) {
                    refusals.add(Uni.createFrom().completionStage(() -> consumption.settleFailure(record, e)));
                }
            }
            Uni<Void> refused = refusals.isEmpty()
                    ? Uni.createFrom().voidItem()
                    : Uni.join().all(refusals).andCollectFailures().replaceWithVoid();
            return refused.chain(() -> accepted.isEmpty() ? Uni.createFrom().voidItem() : all(accepted, work));
        });
    }

    private <E> Uni<Void> all(List<Checked<E>> accepted, Function<List<E>, Uni<?>> work) {
        String topic = accepted.get(0).record().getTopic();
        List<E> items = accepted.stream().map(Checked::item).toList();
        return contexts.<Object>attempt(() -> work.apply(items))
                .onFailure(TransientFailures::isTransient)
                .invoke(e -> progress.waitingOut(topic, e))
                .onFailure(TransientFailures::isTransient)
                .retry()
                .withBackOff(Backoff.FIRST, Backoff.MAX)
                .indefinitely()
                .onItem()
                .invoke(done -> progress.recovered(topic))
                .onItem()
                .transformToUni(done -> acknowledge(accepted))
                .onFailure()
                .recoverWithUni(e -> oneByOne(accepted, work));
    }

    private static <E> Uni<Void> acknowledge(List<Checked<E>> accepted) {
        return Multi.createFrom()
                .iterable(accepted)
                .onItem()
                .transformToUniAndConcatenate(
                        c -> Uni.createFrom().completionStage(c.record().ack()))
                .collect()
                .last()
                .replaceWithVoid();
    }

    private <E> Uni<Void> oneByOne(List<Checked<E>> accepted, Function<List<E>, Uni<?>> work) {
        return Multi.createFrom()
                .iterable(accepted)
                .onItem()
                .transformToUniAndConcatenate(c -> consumption.process(c.record(), () -> work.apply(List.of(c.item()))))
                .collect()
                .last()
                .replaceWithVoid();
    }
}
