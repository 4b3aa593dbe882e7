package io.imprint.testing;

import io.imprint.pki.ceremony.CaCeremony;
import io.imprint.pki.ceremony.KeyAliases;
import io.imprint.pki.keys.Pkcs11Config;
import io.imprint.pki.keys.Pkcs11KeyBackend;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A real SoftHSM2 token for tests, with the CA ceremony run on it once. It lives where the
 * {@code SOFTHSM2_CONF} environment variable (set per module by Surefire) points, under the module's
 * {@code target/}, so test runs never share a token with the demo.
 */
public final class TestToken {
    /** Test-only PINs of a throwaway token; production PINs come from the environment or a file. */
    public static final String USER_PIN = "imprint-test-user-pin";
    private static final String SO_PIN = "imprint-test-so-pin";
    /** A second issuing CA, rolled over from the first, with its own OCSP responder: tests of several CAs. */
    public static final String ISSUING_CA_2 = "issuing-ca-2";
    public static final String OCSP_RESPONDER_2 = "ocsp-responder-2";
    private static Path certificates;

    private TestToken() {
    }

    /** Initialises the token and runs the ceremony if needed; returns the folder of exported certificates. */
    public static synchronized Path certificates() {
        if (certificates != null) {
            return certificates;
        }
        String conf = System.getenv("SOFTHSM2_CONF");
        if (conf == null) {
            throw new IllegalStateException("SOFTHSM2_CONF is not set; run tests through Maven (Surefire sets it)");
        }
        Path dir = Path.of(conf).getParent();
        Path tokens = dir.resolve("tokens");
        try {
            Files.createDirectories(tokens);
            Files.writeString(Path.of(conf), "directories.tokendir = " + tokens + "\nobjectstore.backend = file\n"
                    + "log.level = ERROR\n");
            if (isEmpty(tokens)) {
                run("softhsm2-util", "--init-token", "--free", "--label", "imprint-test", "--so-pin", SO_PIN,
                        "--pin", USER_PIN);
            }
            Pkcs11KeyBackend token = new Pkcs11KeyBackend(new Pkcs11Config(Pkcs11Config.SOFTHSM2, 0),
                    USER_PIN.toCharArray());
            certificates = dir.resolve("certs");
            CaCeremony ceremony = new CaCeremony(token, "Imprint Test", line -> { });
            Instant now = Instant.now();
            ceremony.createHierarchy(certificates, now);
            ceremony.rollIssuingCa(KeyAliases.ISSUING_CA, ISSUING_CA_2, "Imprint Issuing CA 2", certificates, now);
            ceremony.issueOcspResponder(ISSUING_CA_2, OCSP_RESPONDER_2, certificates, now);
            return certificates;
        } catch (IOException e) {
            throw new IllegalStateException("cannot prepare the SoftHSM2 token in " + dir + ": " + e.getMessage(), e);
        }
    }

    /** Configuration for a service that uses the token. */
    public static Map<String, String> quarkusConfig() {
        Path certs = certificates();
        return Map.of(
                "imprint.hsm.library", Pkcs11Config.SOFTHSM2.toString(),
                "imprint.hsm.slot-list-index", "0",
                "imprint.hsm.pin", USER_PIN,
                "imprint.intake.station-ca", certs.resolve("station-ca.pem").toString());
    }

    private static boolean isEmpty(Path dir) throws IOException {
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.findAny().isEmpty();
        }
    }

    private static void run(String... command) throws IOException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        try {
            if (process.waitFor() != 0) {
                throw new IllegalStateException(command[0] + " failed (is softhsm2 installed?): " + output.strip());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
