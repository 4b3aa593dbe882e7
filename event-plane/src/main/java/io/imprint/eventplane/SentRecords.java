package io.imprint.eventplane;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import org.apache.kafka.clients.producer.RecordMetadata;

/**
 * Records handed to a producer, each confirmed by the broker before anyone acts as if it were written: a
 * producer's {@code flush()} returns after a failed send as after a good one, and only the send's future says
 * which it was.
 */
public final class SentRecords {
    private final List<Future<RecordMetadata>> pending = new ArrayList<>();

    public void add(Future<RecordMetadata> send) {
        pending.add(send);
    }

    /**
     * Waits for every record added since the last call.
     *
     * @return how many were written
     * @throws IllegalStateException naming how many were not written and the first reason
     */
    public int confirm() throws InterruptedException {
        int written = 0;
        int failed = 0;
        Throwable first = null;
        for (Future<RecordMetadata> send : pending) {
            try {
                send.get();
                written++;
            } catch (ExecutionException e) {
                failed++;
                first = first == null ? e.getCause() : first;
            }
        }
        pending.clear();
        if (failed > 0) {
            throw new IllegalStateException(
                    failed + " of " + (written + failed) + " records were not written: " + first.getMessage(), first);
        }
        return written;
    }
}
