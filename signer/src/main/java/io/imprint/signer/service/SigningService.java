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
import io.imprint.pki.keys.CaKey;
import io.imprint.pki.keys.Pkcs11KeyBackend;
import io.imprint.service.HsmHealthCheck;
import io.imprint.signer.config.SignerConfig;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;

/**
 * Signs accepted requests with the issuing CA key in the token. It takes only the request id, the CSR and
 * the profile name from the request, re-validates the CSR even though intake already did, and picks serial,
 * validity and issuer itself.
 */
@ApplicationScoped
public class SigningService implements HsmHealthCheck.HsmKeys {
    static final String SERVICE = "signer";
    private static final Logger LOG = Logger.getLogger(SigningService.class);

    private final Pkcs11KeyBackend token;
    private final String issuingCaAlias;
    private final CaKey issuingCa;
    private final String chainPem;
    private final Map<String, CertificateProfile> profiles;
    private final CsrValidator validator = new CsrValidator();
    private final DeviceCertificateIssuer issuer = new DeviceCertificateIssuer();
    private final MeterRegistry metrics;
    private final Timer signTimer;

    public SigningService(Pkcs11KeyBackend token, SignerConfig config, MeterRegistry metrics) {
        this.token = token;
        this.issuingCaAlias = config.issuingCaAlias();
        this.issuingCa = token.key(issuingCaAlias);
        List<X509Certificate> chain = issuingCa.chain();
        this.chainPem = chain.subList(0, Math.max(1, chain.size() - 1)).stream().map(Pem::encode)
                .collect(Collectors.joining());
        this.profiles = config.profiles().entrySet().stream().collect(Collectors.toMap(Map.Entry::getKey,
                e -> new CertificateProfile(e.getKey(), e.getValue().validity().orElse(null), e.getValue().crlUrl(),
                        e.getValue().ocspUrl())));
        if (profiles.isEmpty()) {
            throw new IllegalStateException("no certificate profile configured: set imprint.signer.profiles.<name>.*");
        }
        this.metrics = metrics;
        this.signTimer = metrics.timer("imprint.signer.sign");
    }

    public ImprintEvent sign(CsrAcceptedV1 request) {
        Instant now = Instant.now();
        CertificateProfile profile = profiles.get(request.profile());
        if (profile == null) {
            return reject(request, ReasonCode.LINT_FAILED, "certificate profile '" + request.profile()
                    + "' is not configured on the signer", now);
        }
        if (request.issuingCa() != null && !request.issuingCa().equals(issuingCaAlias)) {
            return reject(request, ReasonCode.ISSUER_UNAVAILABLE, "the order names issuing CA '" + request.issuingCa()
                    + "', but this signer holds '" + issuingCaAlias + "'", now);
        }
        ValidatedCsr csr;
        try {
            csr = validator.validate(request.csr(), request.deviceId());
        } catch (RequestRejectedException e) {
            return reject(request, e.reason(), e.getMessage(), now);
        }
        X509Certificate certificate = signTimer.record(() -> issuer.issue(csr, issuingCa, profile, Serials.random(), now));
        metrics.counter("imprint.signer.issued", "profile", profile.name()).increment();
        return new CertIssuedV1(request.requestId(), request.deviceId(), request.factoryId(), request.stationId(),
                request.orderId(), Serials.hex(certificate.getSerialNumber()),
                certificate.getIssuerX500Principal().getName(), certificate.getNotBefore().toInstant(),
                certificate.getNotAfter().toInstant(), Pem.encode(certificate), chainPem, now);
    }

    private ImprintEvent reject(CsrAcceptedV1 request, ReasonCode reason, String message, Instant now) {
        metrics.counter("imprint.signer.rejected", "reason", reason.name()).increment();
        LOG.warnf("rejected request %s of device %s: %s %s", request.requestId(), request.deviceId(), reason, message);
        return new CsrRejectedV1(request.requestId(), request.deviceId(), request.factoryId(), request.stationId(),
                request.orderId(), reason, message, SERVICE, now);
    }

    public CaKey issuingCa() {
        return issuingCa;
    }

    @Override
    public Pkcs11KeyBackend token() {
        return token;
    }

    @Override
    public List<String> aliases() {
        return List.of(issuingCa.alias());
    }
}
