package io.imprint.pki.warmup;

import io.imprint.contracts.EventCodec;
import io.imprint.contracts.events.CertIssuedV1;
import io.imprint.pki.Pem;
import io.imprint.pki.RequestRejectedException;
import io.imprint.pki.Serials;
import io.imprint.pki.csr.CsrBuilder;
import io.imprint.pki.csr.CsrValidator;
import io.imprint.pki.issuance.CertificateProfile;
import io.imprint.pki.issuance.DeviceCertificateIssuer;
import io.imprint.pki.keys.CaKey;
import io.imprint.pki.keys.EcKeys;
import io.imprint.pki.keys.SigningPool;
import io.imprint.pki.keys.SoftwareKeyBackend;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * The signer's issuance (CSR checks, to-be-signed certificate, pre-issuance lint, signature, verification of
 * the signature, the {@code cert.issued} event) with a synthetic issuing CA whose key is a software key made
 * here: the HSM's keys sign nothing for it, and the certificates are thrown away. What stays cold is the
 * token's own signing call.
 */
public final class IssuanceWarmUp implements WarmUp {
    private static final int DEVICES = 16;

    private final List<CertificateProfile> profiles;
    private final SigningPool ca;
    private final CsrValidator csrs = new CsrValidator();
    private final DeviceCertificateIssuer issuer = new DeviceCertificateIssuer();
    private final List<String> csrPems = new ArrayList<>();
    private int next;

    /** @param profiles the configured certificate profiles as the signer issues them, used in turn */
    public IssuanceWarmUp(List<CertificateProfile> profiles) {
        if (profiles.isEmpty()) {
            throw new IllegalArgumentException("no certificate profile to issue with");
        }
        this.profiles = List.copyOf(profiles);
        CaKey key = SyntheticCa.under("issuing CA");
        this.ca = new SigningPool(SoftwareKeyBackend.holding(key), key.alias(), 1);
        for (int i = 0; i < DEVICES; i++) {
            csrPems.add(CsrBuilder.devicePem(deviceId(i), EcKeys.p256(), "SHA256withECDSA"));
        }
    }

    @Override
    public void round() {
        CertificateProfile profile = profiles.get(next % profiles.size());
        int i = next++ % DEVICES;
        String deviceId = deviceId(i);
        try {
            X509Certificate certificate =
                    issuer.issue(csrs.validate(csrPems.get(i), deviceId), ca, profile, Serials.random(), Instant.now());
            EventCodec.encode(new CertIssuedV1(
                    UUID.randomUUID().toString(),
                    deviceId,
                    "warm-up",
                    "warm-up-station",
                    "warm-up-order",
                    Serials.hex(certificate.getSerialNumber()),
                    certificate.getIssuerX500Principal().getName(),
                    certificate.getNotBefore().toInstant(),
                    certificate.getNotAfter().toInstant(),
                    Pem.encode(certificate),
                    Pem.encode(ca.key().certificate()),
                    Instant.now(),
                    null,
                    null));
        } catch (RequestRejectedException e) {
            throw new IllegalStateException(
                    "a synthetic request was refused (" + e.reason() + "): " + e.getMessage(), e);
        }
    }

    private static String deviceId(int i) {
        return "warm-up-" + i;
    }
}
