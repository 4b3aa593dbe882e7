package io.imprint.pki.ceremony;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.imprint.pki.TestPki;
import io.imprint.pki.keys.CaKey;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Transcripts sealed as the ceremony seals them, checked as audit checks them before logging one. */
class CeremonySealTest {
    private static final TestPki PKI = new TestPki();
    private static final List<X509Certificate> ROOTS = List.of(PKI.root.certificate());

    @TempDir
    Path dir;

    @Test
    void aStationEnrolmentSealedByTheStationCaNamesItsCommandAndStations() throws IOException {
        Path text = seal(PKI.stationCa, "enrol-station", "enrolled station st-1 of factory f-1, serial 01");
        CeremonySeal.Sealed sealed = CeremonySeal.verify(Files.readAllBytes(text), signature(text), ROOTS);
        assertEquals("enrol-station", sealed.command());
        assertEquals(List.of("f-1/st-1"), sealed.stations());
        assertEquals(PKI.stationCa.certificate(), sealed.sealedBy());
        assertTrue(Math.abs(sealed.sealedAt().getEpochSecond() - Instant.now().getEpochSecond()) < 60);
    }

    @Test
    void aCeremonySealedByTheRootItselfHolds() throws IOException {
        Path text = seal(PKI.root, "init", "generated EC P-256 key 'root-ca' in the token");
        CeremonySeal.Sealed sealed = CeremonySeal.verify(Files.readAllBytes(text), signature(text), ROOTS);
        assertEquals("init", sealed.command());
        assertEquals(List.of(), sealed.stations());
    }

    @Test
    void refusesAnEditedTranscriptAnotherRootsSealANonCaAndGarbage() throws IOException {
        Path text = seal(PKI.stationCa, "enrol-station", "enrolled station st-1 of factory f-1");
        byte[] edited = Files.readString(text).replace("st-1", "st-9").getBytes(StandardCharsets.UTF_8);
        assertRefused("does not verify", edited, signature(text), ROOTS);
        assertRefused(
                "does not chain to a trusted root",
                Files.readAllBytes(text),
                signature(text),
                List.of(new TestPki().root.certificate()));
        Path byResponder = seal(PKI.ocspResponder, "enrol-station", "enrolled station st-2 of factory f-1");
        assertRefused("not a CA", Files.readAllBytes(byResponder), signature(byResponder), ROOTS);
        assertRefused("not a DER CMS", Files.readAllBytes(text), new byte[] {0x30, 0x03, 1, 2, 3}, ROOTS);
    }

    @Test
    void refusesATranscriptThatNamesNoCommand() throws IOException {
        CeremonyTranscript transcript = new CeremonyTranscript(line -> {});
        transcript.accept("enrolled station st-1 of factory f-1");
        Path text = transcript.seal(PKI.stationCa, dir, "enrol-station", Instant.now());
        assertRefused("names no ceremony command", Files.readAllBytes(text), signature(text), ROOTS);
    }

    /** A transcript as CeremonyCli writes one: its command line first, then what it did, sealed by {@code key}. */
    private Path seal(CaKey key, String command, String did) {
        CeremonyTranscript transcript = new CeremonyTranscript(line -> {});
        transcript.accept("command " + command + " on PKCS#11 token (test, slot index 0)");
        transcript.accept(did);
        return transcript.seal(key, dir.resolve(command + System.nanoTime()), command, Instant.now());
    }

    private static byte[] signature(Path text) throws IOException {
        return Files.readAllBytes(
                text.resolveSibling(text.getFileName().toString().replace(".txt", ".p7s")));
    }

    private static void assertRefused(String why, byte[] transcript, byte[] signature, List<X509Certificate> roots) {
        CeremonySeal.InvalidSeal refused =
                assertThrows(CeremonySeal.InvalidSeal.class, () -> CeremonySeal.verify(transcript, signature, roots));
        assertTrue(refused.getMessage().contains(why), refused.getMessage());
    }
}
