package io.imprint.testing;

import io.imprint.contracts.CloudEvent;
import io.imprint.contracts.EventCodec;
import io.imprint.contracts.EventType;
import io.imprint.contracts.events.CertIssuedV1;
import io.imprint.contracts.events.ImprintEvent;
import io.imprint.pki.CertificateTemplates;
import io.imprint.pki.IssuerKeyId;
import io.imprint.pki.Pem;
import io.imprint.pki.Providers;
import io.imprint.pki.RequestRejectedException;
import io.imprint.pki.Serials;
import io.imprint.pki.ceremony.KeyAliases;
import io.imprint.pki.crl.CrlDistribution;
import io.imprint.pki.csr.CsrBuilder;
import io.imprint.pki.csr.CsrValidator;
import io.imprint.pki.issuance.CertificateProfile;
import io.imprint.pki.issuance.DeviceCertificateIssuer;
import io.imprint.pki.keys.SigningPool;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/** Events as upstream services would publish them, for testing one service on its own. */
public final class TestEvents {
    private static final Map<String, SigningPool> ISSUING_CAS = new HashMap<>();

    private TestEvents() {}

    /**
     * A {@code cert.issued} for a fresh device, with a genuine certificate the test token's issuing CA signed
     * (consumers verify it), in factory-a, station-1, order-1.
     */
    public static CertIssuedV1 issued() {
        return issued("dev-" + UUID.randomUUID());
    }

    /** A genuine {@code cert.issued} for {@code deviceId}, a new certificate each time. */
    public static CertIssuedV1 issued(String deviceId) {
        return issued(KeyAliases.ISSUING_CA, deviceId, Instant.now());
    }

    /**
     * A genuine {@code cert.issued} for {@code deviceId} from the issuing CA {@code caAlias} of the test token,
     * with the certificate's notBefore (what tells a newer certificate of a device from an older one). A
     * certificate cannot start before its CA: on a token made moments ago, a notBefore earlier than the CA's is
     * moved up to the CA's.
     */
    public static CertIssuedV1 issued(String caAlias, String deviceId, Instant notBefore) {
        return issued(caAlias, deviceId, notBefore, null);
    }

    /**
     * As {@link #issued(String, String, Instant)}, the certificate pointing at its CRLs as {@code crl} says (the
     * CA's key id in place of {@code {issuer-key-id}}); null for no CRL distribution point.
     */
    public static synchronized CertIssuedV1 issued(
            String caAlias, String deviceId, Instant notBefore, CrlDistribution crl) {
        SigningPool issuingCa = ISSUING_CAS.computeIfAbsent(caAlias, alias -> {
            TestToken.certificates();
            return new SigningPool(TestToken.token(), alias, 1);
        });
        Instant caStart = issuingCa.key().certificate().getNotBefore().toInstant();
        try {
            X509Certificate certificate = new DeviceCertificateIssuer()
                    .issue(
                            new CsrValidator()
                                    .validate(
                                            CsrBuilder.devicePem(deviceId, TestStations.ecKey(), "SHA256withECDSA"),
                                            deviceId),
                            issuingCa,
                            new CertificateProfile("idevid", null, null, null)
                                    .withCrl(crl == null ? null : forCa(crl, issuingCa)),
                            Serials.random(),
                            notBefore.isBefore(caStart) ? caStart : notBefore);
            return new CertIssuedV1(
                    UUID.randomUUID().toString(),
                    deviceId,
                    "factory-a",
                    "station-1",
                    "order-1",
                    Serials.hex(certificate.getSerialNumber()),
                    certificate.getIssuerX500Principal().getName(),
                    certificate.getNotBefore().toInstant(),
                    certificate.getNotAfter().toInstant(),
                    Pem.encode(certificate),
                    Pem.encode(issuingCa.key().certificate()),
                    Instant.now());
        } catch (RequestRejectedException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    private static CrlDistribution forCa(CrlDistribution crl, SigningPool ca) {
        String keyId = IssuerKeyId.of(ca.key().certificate());
        return new CrlDistribution(
                crl.crlUrl().replace("{issuer-key-id}", keyId),
                crl.shards(),
                crl.deltaCrlUrl() == null ? null : crl.deltaCrlUrl().replace("{issuer-key-id}", keyId));
    }

    /**
     * The same issuance, as the signer announces it for another factory and order, with the product model and
     * secure-element type the accepted request carried (either may be null).
     */
    public static CertIssuedV1 inOrder(
            CertIssuedV1 e, String factory, String order, String productModel, String secureElementType) {
        return new CertIssuedV1(
                e.requestId(),
                e.deviceId(),
                factory,
                e.stationId(),
                order,
                e.serialNumber(),
                e.issuer(),
                e.notBefore(),
                e.notAfter(),
                e.certificate(),
                e.chain(),
                e.issuedAt(),
                productModel,
                secureElementType);
    }

    /**
     * A forged {@code cert.issued} for the device of {@code genuine}: a self-signed certificate naming the device,
     * newer than the genuine one, in an event that names the genuine issuer, as an attacker would write it.
     */
    public static CertIssuedV1 selfSignedFor(CertIssuedV1 genuine) {
        KeyPair key = TestStations.ecKey();
        try {
            X509Certificate selfSigned = CertificateTemplates.selfSignedRoot(
                    new X500Name("CN=" + genuine.deviceId() + ",SERIALNUMBER=" + genuine.deviceId()),
                    key.getPublic(),
                    new JcaContentSignerBuilder("SHA256withECDSA")
                            .setProvider(Providers.BC)
                            .build(key.getPrivate()),
                    Instant.now().plusSeconds(60),
                    Instant.now().plus(Duration.ofDays(1)));
            return new CertIssuedV1(
                    UUID.randomUUID().toString(),
                    genuine.deviceId(),
                    genuine.factoryId(),
                    genuine.stationId(),
                    genuine.orderId(),
                    Serials.hex(selfSigned.getSerialNumber()),
                    genuine.issuer(),
                    Instant.now(),
                    Instant.now(),
                    Pem.encode(selfSigned),
                    genuine.chain(),
                    Instant.now().plusSeconds(3600));
        } catch (OperatorCreationException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Publishes {@code event} on its topic with CloudEvents headers, as the administrator. */
    public static void publish(ImprintEvent event, String key) {
        EventType type = EventType.of(event);
        TestTopics.produce(
                type.topic(), key, EventCodec.encode(event), CloudEvent.headers(type, "/test", Instant.now()));
    }

    /** Publishes {@code event} signed with {@code service}'s identity, as that service does for its commands. */
    public static void publishSigned(ImprintEvent event, String key, String service) {
        EventType type = EventType.of(event);
        byte[] value = EventCodec.encode(event);
        Map<String, String> headers =
                new LinkedHashMap<>(CloudEvent.headers(type, "/imprint/" + service, Instant.now()));
        headers.putAll(TestIdentities.credential(service).sign(value));
        TestTopics.produce(type.topic(), key, value, headers);
    }
}
