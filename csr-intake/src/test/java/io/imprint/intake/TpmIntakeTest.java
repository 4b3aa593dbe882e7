package io.imprint.intake;

import static io.imprint.intake.Decisions.assertAccepted;
import static io.imprint.intake.Decisions.assertRejected;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.imprint.contracts.EventCodec;
import io.imprint.contracts.EventType;
import io.imprint.contracts.Headers;
import io.imprint.contracts.ReasonCode;
import io.imprint.contracts.Topics;
import io.imprint.contracts.events.CsrAcceptedV1;
import io.imprint.contracts.events.CsrChallengedV1;
import io.imprint.contracts.events.CsrRejectedV1;
import io.imprint.contracts.events.CsrSubmittedV1;
import io.imprint.contracts.events.TpmEvidence;
import io.imprint.pki.Pem;
import io.imprint.pki.attestation.tpm.SoftwareTpm;
import io.imprint.pki.attestation.tpm.TpmCredential;
import io.imprint.pki.station.StationCredential;
import io.imprint.testing.ImprintTestInfrastructure;
import io.imprint.testing.TestDatabase;
import io.imprint.testing.TestStations;
import io.imprint.testing.TestSubmissions;
import io.imprint.testing.TestTopics;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.pkcs.PKCS10CertificationRequestBuilder;
import org.junit.jupiter.api.Test;

/**
 * TPM 2.0 devices through the broker, with a real software TPM doing the device's part: it makes the key,
 * signs the CSR, certifies the key with its attestation key and activates intake's challenge. The station
 * reads the challenge from its factory's results topic with its own credential.
 */
@QuarkusTest
@QuarkusTestResource(
        value = ImprintTestInfrastructure.class,
        initArgs = {
            @ResourceArg(name = ImprintTestInfrastructure.DATABASE, value = "true"),
            @ResourceArg(name = ImprintTestInfrastructure.VENDORS, value = "true")
        })
@QuarkusTestResource(value = SoftwareTpmResource.class, restrictToAnnotatedClass = true)
class TpmIntakeTest {
    private static final String FACTORY = "factory-tpm";
    private static final StationCredential STATION = TestStations.enrolAndGrant(FACTORY, "station-1");
    private static final StationCredential NEIGHBOUR = TestStations.enrolAndGrant(FACTORY, "station-2");
    private static final Base64.Encoder BASE64 = Base64.getEncoder();

    @Test
    void aTpmKeyIsAcceptedOnlyOnceItsTpmHasOpenedTheChallenge() throws Exception {
        String order = Orders.create(
                FACTORY,
                10,
                Map.of("attestationRequired", true, "secureElementTypes", List.of(SoftwareTpmResource.TYPE)));
        String device = "tpm-" + UUID.randomUUID();
        CsrSubmittedV1 first = publish(tpmSubmission(STATION, device, order, "key-a", "key-a"), STATION);
        CsrChallengedV1 challenge = awaitChallenge(first);
        assertEquals(device, challenge.deviceId());
        assertTrue(challenge.expiresAt().isAfter(Instant.now()));
        byte[] secret = tpm().activate(new TpmCredential(
                        Base64.getDecoder().decode(challenge.credentialBlob()),
                        Base64.getDecoder().decode(challenge.encryptedSecret()))
                .toTpm2ToolsFile());

        byte[] guessed = secret.clone();
        guessed[0] ^= 1;
        assertActivationRefused(publish(answer(first, guessed), STATION), "is not the one challenge");
        assertActivationRefused(
                publish(
                        answer(
                                new CsrSubmittedV1(
                                        first.requestId(),
                                        first.deviceId(),
                                        FACTORY,
                                        "station-2",
                                        order,
                                        Instant.now(),
                                        first.csr(),
                                        first.secureElementType(),
                                        List.of(),
                                        first.tpm()),
                                secret),
                        NEIGHBOUR),
                "another station");

        CsrAcceptedV1 accepted = assertAccepted(publish(answer(first, secret), STATION));
        assertEquals(first.csr(), accepted.csr());
        assertActivationRefused(publish(answer(first, secret), STATION), "already answered");
    }

    @Test
    void evidenceForAnotherKeyOrAnUnknownChallengeIsRefusedWithoutAChallenge() throws Exception {
        String order = Orders.create(FACTORY, 10, Map.of("secureElementTypes", List.of(SoftwareTpmResource.TYPE)));
        // the CSR is signed by key-b, the certification is of key-c: the station cannot swap keys
        CsrSubmittedV1 swapped =
                publish(tpmSubmission(STATION, "tpm-" + UUID.randomUUID(), order, "key-b", "key-c"), STATION);
        assertRejected(swapped, ReasonCode.ATTESTATION_KEY_MISMATCH);

        CsrSubmittedV1 unchallenged = tpmSubmission(STATION, "tpm-" + UUID.randomUUID(), order, "key-b", "key-b");
        assertActivationRefused(publish(answer(unchallenged, new byte[32]), STATION), "no challenge");
    }

    @Test
    void anExpiredChallengeCannotBeAnswered() throws Exception {
        String order = Orders.create(FACTORY, 10, Map.of("secureElementTypes", List.of(SoftwareTpmResource.TYPE)));
        CsrSubmittedV1 first =
                publish(tpmSubmission(STATION, "tpm-" + UUID.randomUUID(), order, "key-d", "key-d"), STATION);
        CsrChallengedV1 challenge = awaitChallenge(first);
        byte[] secret = tpm().activate(new TpmCredential(
                        Base64.getDecoder().decode(challenge.credentialBlob()),
                        Base64.getDecoder().decode(challenge.encryptedSecret()))
                .toTpm2ToolsFile());
        // the station took longer than imprint.intake.tpm.challenge-ttl
        try (Connection db = TestDatabase.connect();
                PreparedStatement expire = db.prepareStatement(
                        "UPDATE intake.tpm_challenge SET expires_at = now() - interval '1 second' WHERE challenge_id = ?")) {
            expire.setString(1, first.requestId());
            assertEquals(1, expire.executeUpdate());
        }
        assertActivationRefused(publish(answer(first, secret), STATION), "expired");
    }

    private static void assertActivationRefused(CsrSubmittedV1 submission, String because) {
        CsrRejectedV1 rejected = assertRejected(submission, ReasonCode.ATTESTATION_INVALID);
        assertTrue(rejected.message().startsWith("attestation rule tpm-activation:"), rejected.message());
        assertTrue(rejected.message().contains(because), rejected.message());
    }

    /** The challenge for {@code submission}, read as the station reads it: its factory's results topic. */
    private static CsrChallengedV1 awaitChallenge(CsrSubmittedV1 submission) {
        List<ConsumerRecord<String, byte[]>> found = TestTopics.await(
                TestStations.client(STATION),
                List.of(Topics.stationResults(FACTORY)),
                r -> submission.requestId().equals(Decisions.requestId(r)),
                1,
                Decisions.WAIT);
        assertEquals(1, found.size(), "a challenge for " + submission.requestId());
        assertEquals(
                EventType.CSR_CHALLENGED.ceType(),
                TestTopics.header(found.get(0), Headers.CE_TYPE),
                TestTopics.value(found.get(0)));
        return EventCodec.decode(found.get(0).value(), CsrChallengedV1.class);
    }

    /** The station's second submission: same device and evidence, a new request id, the recovered secret. */
    private static CsrSubmittedV1 answer(CsrSubmittedV1 challenged, byte[] secret) {
        return new CsrSubmittedV1(
                UUID.randomUUID().toString(),
                challenged.deviceId(),
                challenged.factoryId(),
                challenged.stationId(),
                challenged.orderId(),
                Instant.now(),
                challenged.csr(),
                challenged.secureElementType(),
                List.of(),
                challenged.tpm().answering(challenged.requestId(), BASE64.encodeToString(secret)));
    }

    /** A CSR signed in the TPM by {@code signingKey}, with the AK's certification of {@code certifiedKey}. */
    private static CsrSubmittedV1 tpmSubmission(
            StationCredential station, String device, String order, String signingKey, String certifiedKey)
            throws Exception {
        SoftwareTpm tpm = tpm();
        for (String key : List.of(signingKey, certifiedKey)) {
            if (!Files.exists(tpm.dir.resolve(key + ".ctx"))) {
                tpm.certifiedKey(key, SoftwareTpm.NON_EXPORTABLE_SIGNING_KEY, "ecc256:ecdsa");
            }
        }
        TpmEvidence evidence = new TpmEvidence(
                List.of(
                        BASE64.encodeToString(tpm.read("ek.der")),
                        BASE64.encodeToString(Pem.certificates(Files.readString(tpm.vendorIntermediate()))
                                .get(0)
                                .getEncoded())),
                BASE64.encodeToString(tpm.read("ak.pub")),
                BASE64.encodeToString(tpm.read(certifiedKey + ".pub")),
                BASE64.encodeToString(tpm.read(certifiedKey + ".attest")),
                BASE64.encodeToString(tpm.read(certifiedKey + ".sig")),
                null,
                null);
        CsrSubmittedV1 plain = TestSubmissions.submission(station, device, order);
        return new CsrSubmittedV1(
                plain.requestId(),
                device,
                plain.factoryId(),
                plain.stationId(),
                order,
                Instant.now(),
                csrSignedInTpm(device, signingKey),
                SoftwareTpmResource.TYPE,
                List.of(),
                evidence);
    }

    private static String csrSignedInTpm(String device, String key) throws IOException {
        SoftwareTpm tpm = tpm();
        tpm.tpm("tpm2_readpublic", "-c", key + ".ctx", "-f", "der", "-o", key + "-spki.der");
        SubjectPublicKeyInfo publicKey = SubjectPublicKeyInfo.getInstance(tpm.read(key + "-spki.der"));
        ContentSigner inTpm = new ContentSigner() {
            private final ByteArrayOutputStream toBeSigned = new ByteArrayOutputStream();

            @Override
            public AlgorithmIdentifier getAlgorithmIdentifier() {
                return new AlgorithmIdentifier(X9ObjectIdentifiers.ecdsa_with_SHA256);
            }

            @Override
            public OutputStream getOutputStream() {
                return toBeSigned;
            }

            @Override
            public byte[] getSignature() {
                try {
                    return tpm.sign(key, toBeSigned.toByteArray());
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        };
        return Pem.encode(new PKCS10CertificationRequestBuilder(
                        new X500NameBuilder(BCStyle.INSTANCE)
                                .addRDN(BCStyle.CN, device)
                                .addRDN(BCStyle.SERIALNUMBER, device)
                                .build(),
                        publicKey)
                .build(inTpm));
    }

    private static CsrSubmittedV1 publish(CsrSubmittedV1 submission, StationCredential signer) {
        TestSubmissions.publish(submission, signer);
        return submission;
    }

    private static SoftwareTpm tpm() {
        return SoftwareTpmResource.tpm();
    }
}
