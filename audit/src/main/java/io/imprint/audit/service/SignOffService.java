package io.imprint.audit.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.imprint.audit.persistence.SignOffEntity;
import io.imprint.audit.persistence.SignOffRepository;
import io.imprint.audit.service.CheckpointService.CheckpointView;
import io.imprint.audit.service.ReconciliationService.Scope;
import io.imprint.pki.audit.ReconciliationReport;
import io.imprint.service.Await;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * Signs a reconciliation off: the report, who signed it off and when, and a checkpoint covering every record
 * the report was computed from, as one JSON document signed by the audit key (detached CMS). A third party
 * checks it with openssl and the infrastructure root alone, and can ask for the inclusion of any record in
 * the named checkpoint.
 */
@ApplicationScoped
public class SignOffService {
    private static final Logger LOG = Logger.getLogger(SignOffService.class);
    private final ReconciliationService reconciliation;
    private final CheckpointService checkpoints;
    private final AuditKey key;
    private final SignOffRepository signOffs;
    private final ObjectMapper json;

    public SignOffService(
            ReconciliationService reconciliation,
            CheckpointService checkpoints,
            AuditKey key,
            SignOffRepository signOffs,
            ObjectMapper json) {
        this.reconciliation = reconciliation;
        this.checkpoints = checkpoints;
        this.key = key;
        this.signOffs = signOffs;
        this.json = json;
    }

    /** What is signed, exactly as serialised into {@code report.json}. */
    public record SignedDocument(
            String signedOffBy, Instant signedOffAt, CheckpointView checkpoint, ReconciliationReport report) {}

    /** A sign-off as listed; its document and signature are served as they are stored. */
    public record SignOffView(
            long id,
            String factoryId,
            String orderId,
            Instant from,
            Instant to,
            String signedOffBy,
            Instant signedOffAt,
            long treeSize,
            boolean reconciled) {
        static SignOffView of(SignOffEntity e) {
            return new SignOffView(
                    e.id,
                    e.factoryId,
                    e.orderId,
                    e.periodFrom,
                    e.periodTo,
                    e.signedOffBy,
                    e.signedOffAt,
                    e.treeSize,
                    e.reconciled);
        }
    }

    /** Blocking: the report, then a checkpoint (the log only grows, so it covers all the report read), signed. */
    public SignOffView signOff(Scope scope, String operator) {
        ReconciliationReport report = Await.result(() -> reconciliation.report(scope));
        CheckpointView checkpoint = checkpoints.checkpoint();
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        byte[] document;
        try {
            document = json.writeValueAsBytes(new SignedDocument(operator, now, checkpoint, report));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("the reconciliation cannot be written as JSON", e);
        }
        byte[] signature = key.signDocument(document);
        SignOffEntity row = new SignOffEntity();
        row.factoryId = scope.factoryId();
        row.orderId = scope.orderId();
        row.periodFrom = scope.from();
        row.periodTo = scope.to();
        row.signedOffBy = operator;
        row.signedOffAt = now;
        row.treeSize = checkpoint.treeSize();
        row.reconciled = report.reconciled();
        row.document = new String(document, StandardCharsets.UTF_8);
        row.signature = Base64.getEncoder().encodeToString(signature);
        SignOffEntity stored = Await.result(() -> Panache.withTransaction(() -> signOffs.persist(row)));
        LOG.infof(
                "%s signed off reconciliation %d (factory %s, order %s): %s",
                operator,
                stored.id,
                scope.factoryId(),
                scope.orderId(),
                report.reconciled() ? "reconciled" : "with discrepancies");
        return SignOffView.of(stored);
    }

    /** A sign-off's document and signature, byte for byte as signed; null when there is no such sign-off. */
    public static final class SignedCopy {
        private final String document;
        private final String signature;

        SignedCopy(String document, String signature) {
            this.document = document;
            this.signature = signature;
        }

        /** UTF-8 JSON, the exact bytes signed. */
        public byte[] document() {
            return document.getBytes(StandardCharsets.UTF_8);
        }

        /** Detached CMS SignedData, DER. */
        public byte[] signature() {
            return Base64.getDecoder().decode(signature);
        }
    }

    public Uni<SignedCopy> find(long id) {
        return Panache.withSession(() -> signOffs.findById(id))
                .map(row -> row == null ? null : new SignedCopy(row.document, row.signature));
    }

    public Uni<List<SignOffView>> list() {
        return Panache.withSession(() -> signOffs.list("ORDER BY id"))
                .map(rows -> rows.stream().map(SignOffView::of).toList());
    }
}
