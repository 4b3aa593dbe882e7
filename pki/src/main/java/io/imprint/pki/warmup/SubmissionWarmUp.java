package io.imprint.pki.warmup;

import io.imprint.contracts.EventCodec;
import io.imprint.contracts.Headers;
import io.imprint.contracts.events.CsrSubmittedV1;
import io.imprint.pki.CertificateTemplates;
import io.imprint.pki.RequestRejectedException;
import io.imprint.pki.attestation.AttestationProfile;
import io.imprint.pki.attestation.AttestationVerifier;
import io.imprint.pki.csr.CsrBuilder;
import io.imprint.pki.csr.CsrValidator;
import io.imprint.pki.intake.SubmissionValidator;
import io.imprint.pki.keys.CaKey;
import io.imprint.pki.keys.EcKeys;
import io.imprint.pki.station.AuthenticatedStation;
import io.imprint.pki.station.StationCredential;
import io.imprint.pki.station.StationCredentialVerifier;
import io.imprint.pki.station.StationIdentity;
import java.security.KeyPair;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.bouncycastle.asn1.x500.X500Name;

/**
 * csr-intake's checks of a submission (station signature and certificate, CSR, secure-element attestation), run
 * on synthetic submissions: a station of a synthetic station CA submits devices whose synthetic vendor attests
 * their keys. The validator is built as csr-intake builds its own, with these synthetic roots in place of the
 * configured ones, and the configured attestation profiles and clock skew.
 */
public final class SubmissionWarmUp implements WarmUp {
    static final String SECURE_ELEMENT = "WARM-UP";
    private static final int DEVICES = 16;

    private final SubmissionValidator validator;
    private final List<Signed> submissions = new ArrayList<>();
    private int next;

    @SuppressWarnings("ArrayRecordComponent") // the record's bytes as signed; never compared or hashed
    private record Signed(CsrSubmittedV1 submission, byte[] value, Map<String, String> headers) {}

    /**
     * @param profiles the configured attestation profiles, by secure-element type: the synthetic vendor's type
     *     has none, so it is checked with the defaults
     */
    public SubmissionWarmUp(Map<String, AttestationProfile> profiles, Duration maxClockSkew) {
        CaKey stationCa = SyntheticCa.under("station CA");
        CaKey vendor = SyntheticCa.under("secure-element vendor");
        Instant notBefore = Instant.now().minus(Duration.ofHours(1));
        StationIdentity identity = new StationIdentity("warm-up", "warm-up-station");
        KeyPair stationKey = EcKeys.p256();
        StationCredential station = new StationCredential(
                stationKey.getPrivate(),
                CertificateTemplates.clientAuth(
                        stationCa,
                        identity.subject(),
                        stationKey.getPublic(),
                        notBefore,
                        notBefore.plus(Duration.ofDays(1))));
        validator = new SubmissionValidator(
                new StationCredentialVerifier(stationCa.certificate()),
                authenticated -> {},
                new CsrValidator(),
                new AttestationVerifier(Map.of(SECURE_ELEMENT, List.of(SyntheticCa.root(vendor))), profiles),
                maxClockSkew);
        for (int i = 0; i < DEVICES; i++) {
            String deviceId = "warm-up-" + i;
            KeyPair element = EcKeys.p256();
            X509Certificate attestation = CertificateTemplates.clientAuth(
                    vendor,
                    new X500Name("O=Imprint warm-up,CN=sn" + deviceId),
                    element.getPublic(),
                    notBefore,
                    notBefore.plus(Duration.ofDays(1)));
            CsrSubmittedV1 submission = new CsrSubmittedV1(
                    UUID.randomUUID().toString(),
                    deviceId,
                    identity.factoryId(),
                    identity.stationId(),
                    "warm-up-order",
                    Instant.now(),
                    CsrBuilder.devicePem(deviceId, element, "SHA256withECDSA"),
                    SECURE_ELEMENT,
                    List.of(base64(attestation), base64(vendor.certificate())));
            byte[] value = EventCodec.encode(submission);
            submissions.add(new Signed(submission, value, station.sign(value)));
        }
    }

    @Override
    public void round() {
        Signed s = submissions.get(next++ % submissions.size());
        try {
            EventCodec.decode(s.value(), CsrSubmittedV1.class);
            Instant now = Instant.now();
            AuthenticatedStation station = validator.authenticate(
                    s.headers().get(Headers.STATION_CERT), s.headers().get(Headers.STATION_SIGNATURE), s.value(), now);
            validator.validate(s.submission(), station, now);
        } catch (RequestRejectedException e) {
            throw new IllegalStateException(
                    "a synthetic submission was refused (" + e.reason() + "): " + e.getMessage(), e);
        }
    }

    private static String base64(X509Certificate certificate) {
        try {
            return Base64.getEncoder().encodeToString(certificate.getEncoded());
        } catch (CertificateEncodingException e) {
            throw new IllegalStateException(e);
        }
    }
}
