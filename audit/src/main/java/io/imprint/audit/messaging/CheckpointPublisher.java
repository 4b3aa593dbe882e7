package io.imprint.audit.messaging;

import io.imprint.audit.service.CheckpointService;
import io.imprint.contracts.events.AuditCheckpointV1;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * The checkpoint table is its own outbox: each signed checkpoint is sent to {@code imprint.audit.checkpoint.v1}
 * and marked published only once the broker has it. A crash in between sends it again, under the same request
 * id, which readers take as the same checkpoint.
 */
@ApplicationScoped
public class CheckpointPublisher {
    private static final Logger LOG = Logger.getLogger(CheckpointPublisher.class);
    private final CheckpointService checkpoints;
    private final CheckpointSender sender;

    public CheckpointPublisher(CheckpointService checkpoints, CheckpointSender sender) {
        this.checkpoints = checkpoints;
        this.sender = sender;
    }

    @Scheduled(
            every = "${imprint.audit.checkpoint-publish-interval:5s}",
            delayed = "10s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void publishPending() {
        List<AuditCheckpointV1> pending;
        try {
            pending = checkpoints.unpublished();
        } catch (RuntimeException e) {
            // The database is away (or the service is stopping): the next round takes them.
            LOG.warnf("checkpoints not published yet: %s", e.getMessage());
            return;
        }
        for (AuditCheckpointV1 checkpoint : pending) {
            try {
                sender.send(checkpoint, checkpoints.origin());
            } catch (RuntimeException e) {
                // The broker is away, or the channel is not wired yet at start: the checkpoint stays unpublished
                // and goes out on a later round.
                LOG.warnf("checkpoint %d not published yet: %s", checkpoint.treeSize(), e.getMessage());
                return;
            }
            checkpoints.published(checkpoint.treeSize());
        }
    }
}
