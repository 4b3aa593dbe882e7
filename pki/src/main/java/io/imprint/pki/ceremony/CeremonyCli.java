package io.imprint.pki.ceremony;

import io.imprint.pki.Pem;
import io.imprint.pki.cli.CliOptions;
import io.imprint.pki.keys.KeyBackendException;
import io.imprint.pki.keys.Pins;
import io.imprint.pki.keys.Pkcs11Config;
import io.imprint.pki.keys.Pkcs11KeyBackend;
import io.imprint.pki.station.StationIdentity;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;

/**
 * The CA ceremony command. Token and PIN come from the environment, never from arguments:
 * {@code IMPRINT_HSM_LIBRARY} (default SoftHSM2), {@code IMPRINT_HSM_SLOT_INDEX} (default 0),
 * {@code IMPRINT_HSM_PIN} or {@code IMPRINT_HSM_PIN_FILE}.
 *
 * <pre>
 * init --out DIR [--org NAME]
 * enrol-station --factory ID --station ID --public-key FILE.pem [--hours 8] --out FILE.pem
 * </pre>
 */
public final class CeremonyCli {
    private CeremonyCli() {
    }

    public static void main(String[] args) {
        try {
            System.exit(run(args));
        } catch (KeyBackendException | IllegalArgumentException | IllegalStateException | IOException e) {
            System.err.println("ca-ceremony: " + e.getMessage());
            System.exit(2);
        }
    }

    static int run(String[] args) throws IOException {
        if (args.length == 0) {
            return usage();
        }
        CliOptions options = new CliOptions(args);
        Pkcs11KeyBackend token = new Pkcs11KeyBackend(new Pkcs11Config(
                Path.of(env("IMPRINT_HSM_LIBRARY", Pkcs11Config.SOFTHSM2.toString())),
                Integer.parseInt(env("IMPRINT_HSM_SLOT_INDEX", "0"))), () -> Pins.read("IMPRINT_HSM_PIN"));
        CaCeremony ceremony = new CaCeremony(token, options.get("org", "Imprint"),
                line -> System.out.println("ceremony: " + line));
        switch (args[0]) {
            case "init" -> ceremony.createHierarchy(Path.of(options.required("out")), Instant.now());
            case "enrol-station" -> {
                PublicKey key = readPublicKey(Path.of(options.required("public-key")));
                StationIdentity identity = new StationIdentity(options.required("factory"),
                        options.required("station"));
                Duration validity = Duration.ofHours(Long.parseLong(options.get("hours", "8")));
                X509Certificate certificate = ceremony.enrolStation(identity, key, validity, Instant.now());
                Path out = Path.of(options.required("out"));
                Files.writeString(out, Pem.encode(certificate));
            }
            default -> {
                return usage();
            }
        }
        return 0;
    }

    private static PublicKey readPublicKey(Path file) throws IOException {
        try (PEMParser parser = new PEMParser(Files.newBufferedReader(file))) {
            Object object = parser.readObject();
            if (!(object instanceof SubjectPublicKeyInfo info)) {
                throw new IllegalArgumentException(file + " is not a PEM public key");
            }
            return new JcaPEMKeyConverter().getPublicKey(info);
        }
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }

    private static int usage() {
        System.err.println("usage: ca-ceremony init --out DIR [--org NAME]\n"
                + "       ca-ceremony enrol-station --factory ID --station ID --public-key FILE.pem [--hours 8]"
                + " --out FILE.pem\n"
                + "token from IMPRINT_HSM_LIBRARY, IMPRINT_HSM_SLOT_INDEX; PIN from IMPRINT_HSM_PIN or IMPRINT_HSM_PIN_FILE");
        return 64;
    }
}
