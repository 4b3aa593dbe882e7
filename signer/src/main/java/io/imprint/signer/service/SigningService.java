package io.imprint.signer.service;

import io.imprint.contracts.ReasonCode;
import io.imprint.contracts.events.CertIssuedV1;
import io.imprint.contracts.events.CsrAcceptedV1;
import io.imprint.contracts.events.CsrRejectedV1;
import io.imprint.contracts.events.ImprintEvent;
import io.imprint.pki.Pem;
import io.imprint.pki.RequestRejectedException;
import io.imprint.pki.Serials;
import io.imprint.pki.csr.CsrValidator;
import io.imprint.pki.csr.ValidatedCsr;
import io.imprint.pki.issuance.CertificateProfile;
import io.imprint.pki.issuance.DeviceCertificateIssuer;
import io.imprint.pki.keys.KeyBackend;
import io.imprint.pki.keys.SigningPool;
import io.imprint.service.HsmHealthCheck;
import io.imprint.signer.config.SignerConfig;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;

/**
 * Signs accepted requests with an issuing CA key in the HSM. It takes only the request id, the CSR, the
 * profile name, the issuing CA, the acceptance time and the serial from the request, and re-validates the
 * CSR even though intake already did. Serial and validity both come from the request, which intake stored
 * with its decision: a redelivered request yields the same TBS certificate, never a second, different one.
 * Built at start-up, so a profile the lint refuses or a CA key that fails its proof stops the signer.
 */
@Startup
@ApplicationScoped
public class SigningService implements HsmHealthCheck.HsmKeys {
    public static final String SERVICE = "signer";
    private static final Logger LOG = Logger.getLogger(SigningService.class);

    private final KeyBackend backend;
    private final IssuingCas cas;
    private final SignerProfiles profiles;
    private final CsrValidator validator = new CsrValidator();
    private final DeviceCertificateIssuer issuer = new DeviceCertificateIssuer();
    private static final String REJECTED = "imprint.signer.rejected";
    private final MeterRegistry metrics;
    private final Timer signTimer;
    /** Per profile; looked up once, since the registry's lookup costs more than the increment. */
    private final Map<String, Counter> issuedCounters = new ConcurrentHashMap<>();

    public SigningService(KeyBackend backend, IssuingCas cas, SignerConfig config, MeterRegistry metrics) {
        this.backend = backend;
        this.cas = cas;
        this.profiles = new SignerProfiles(config);
        profiles.lintAgainst(cas.all(), issuer, Instant.now());
        this.metrics = metrics;
        this.signTimer = metrics.timer("imprint.signer.sign");
        // Every reason served from the start at zero: an alert on increase() then sees the first rejection.
        for (ReasonCode reason : ReasonCode.values()) {
            metrics.counter(REJECTED, "reason", reason.name());
        }
    }

    /** Every configured profile as the default issuing CA issues it: what the start-up warm-up issues with. */
    public List<CertificateProfile> profiles() {
        return profiles.allForCa(cas.defaultCa());
    }

    public ImprintEvent sign(CsrAcceptedV1 request) {
        Optional<SigningPool> ca = cas.forOrder(request.issuingCa());
        if (ca.isEmpty()) {
            return reject(
                    request,
                    ReasonCode.ISSUER_UNAVAILABLE,
                    "the order names issuing CA '" + request.issuingCa() + "', but this signer holds " + cas.aliases());
        }
        CertificateProfile profile = profiles.forCa(request.profile(), ca.get()).orElse(null);
        if (profile == null) {
            return reject(
                    request,
                    ReasonCode.PROFILE_UNKNOWN,
                    "certificate profile '" + request.profile() + "' is not configured on the signer");
        }
        X509Certificate certificate;
        try {
            ValidatedCsr csr = validator.validate(request.csr(), request.deviceId());
            SigningPool pool = ca.get();
            Timer.Sample sample = Timer.start();
            certificate = issuer.issue(csr, pool, profile, Serials.parse(request.serial()), request.acceptedAt());
            sample.stop(signTimer);
        } catch (RequestRejectedException e) {
            return reject(request, e.reason(), e.getMessage());
        }
        issuedCounters
                .computeIfAbsent(profile.name(), name -> metrics.counter("imprint.signer.issued", "profile", name))
                .increment();
        return new CertIssuedV1(
                request.requestId(),
                request.deviceId(),
                request.factoryId(),
                request.stationId(),
                request.orderId(),
                Serials.hex(certificate.getSerialNumber()),
                certificate.getIssuerX500Principal().getName(),
                certificate.getNotBefore().toInstant(),
                certificate.getNotAfter().toInstant(),
                Pem.encode(certificate),
                cas.chainPem(ca.get()),
                Instant.now(),
                request.productModel(),
                request.secureElementType());
    }

    private ImprintEvent reject(CsrAcceptedV1 request, ReasonCode reason, String message) {
        metrics.counter(REJECTED, "reason", reason.name()).increment();
        LOG.warnf("rejected request %s of device %s: %s %s", request.requestId(), request.deviceId(), reason, message);
        return new CsrRejectedV1(
                request.requestId(),
                request.deviceId(),
                request.factoryId(),
                request.stationId(),
                request.orderId(),
                reason,
                message,
                SERVICE,
                Instant.now());
    }

    @Override
    public KeyBackend token() {
        return backend;
    }

    /** The CA keys readiness checks. */
    @Override
    public List<String> aliases() {
        return new ArrayList<>(cas.aliases());
    }
}
