package io.imprint.intake.service;

import io.imprint.contracts.events.CsrAcceptedV1;
import io.imprint.contracts.events.CsrRejectedV1;
import io.imprint.contracts.events.CsrSubmittedV1;
import io.imprint.contracts.events.ImprintEvent;
import io.imprint.intake.config.IntakeConfig;
import io.imprint.pki.Pem;
import io.imprint.pki.RequestRejectedException;
import io.imprint.pki.csr.CsrValidator;
import io.imprint.pki.intake.SubmissionValidator;
import io.imprint.pki.station.StationCredentialVerifier;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.nio.file.Files;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;
import org.jboss.logging.Logger;

/** Accepts or rejects a submission; every decision is counted by outcome and reason. */
@ApplicationScoped
public class IntakeService {
    static final String SERVICE = "csr-intake";
    private static final Logger LOG = Logger.getLogger(IntakeService.class);

    private final SubmissionValidator validator;
    private final IntakeConfig config;
    private final MeterRegistry metrics;

    public IntakeService(IntakeConfig config, MeterRegistry metrics) {
        this.config = config;
        this.metrics = metrics;
        this.validator = new SubmissionValidator(new StationCredentialVerifier(loadStationCa(config)),
                new CsrValidator());
    }

    public ImprintEvent decide(CsrSubmittedV1 submission, String stationCert, String signature, byte[] value) {
        Instant now = Instant.now();
        try {
            validator.validate(submission, stationCert, signature, value, now);
            metrics.counter("imprint.intake.decisions", "outcome", "accepted", "reason", "none").increment();
            return new CsrAcceptedV1(submission.requestId(), submission.deviceId(), submission.factoryId(),
                    submission.stationId(), submission.orderId(), submission.csr(), config.profile(), now);
        } catch (RequestRejectedException e) {
            metrics.counter("imprint.intake.decisions", "outcome", "rejected", "reason", e.reason().name()).increment();
            LOG.infof("rejected request %s of device %s from station %s/%s: %s %s", submission.requestId(),
                    submission.deviceId(), submission.factoryId(), submission.stationId(), e.reason(), e.getMessage());
            return new CsrRejectedV1(submission.requestId(), submission.deviceId(), submission.factoryId(),
                    submission.stationId(), submission.orderId(), e.reason(), e.getMessage(), SERVICE, now);
        }
    }

    private static X509Certificate loadStationCa(IntakeConfig config) {
        try {
            List<X509Certificate> certificates = Pem.certificates(Files.readString(config.stationCa()));
            if (certificates.size() != 1) {
                throw new IllegalStateException("imprint.intake.station-ca: " + config.stationCa()
                        + " must hold exactly one PEM certificate, found " + certificates.size());
            }
            return certificates.get(0);
        } catch (IOException e) {
            throw new IllegalStateException("imprint.intake.station-ca: cannot read " + config.stationCa()
                    + "; export it with the CA ceremony (deploy/local/ca-ceremony.sh)", e);
        }
    }
}
