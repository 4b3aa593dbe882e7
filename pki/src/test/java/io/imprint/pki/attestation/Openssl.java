package io.imprint.pki.attestation;

import io.imprint.pki.Commands;
import io.imprint.pki.Pem;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * Certificate hierarchies made by the openssl command line, so the attestation checks are held against
 * certificates no Imprint code wrote. Each {@link #issue} signs a fresh key with an issuer made before.
 */
public final class Openssl {
    /**
     * openssl configuration naming Matter's subject attributes, as the Matter SDK's scripts define them;
     * openssl skips attributes it has no name for.
     */
    public static final String MATTER_CONFIG = """
            oid_section = matter_oids
            [matter_oids]
            matterVID = 1.3.6.1.4.1.37244.2.1
            matterPID = 1.3.6.1.4.1.37244.2.2
            [req]
            distinguished_name = dn
            [dn]
            """;

    private final Path dir;
    private int serial;

    Openssl(Path dir) {
        this.dir = dir;
        write("openssl.cnf", MATTER_CONFIG);
    }

    /** A self-signed root CA named {@code name}, on P-256. */
    X509Certificate root(String name) {
        return root(name, "/O=Test Vendor/CN=" + name);
    }

    /** A self-signed root CA with the given subject (openssl's -subj syntax), on P-256. */
    X509Certificate root(String name, String subject) {
        key(name, "prime256v1");
        run(
                "req",
                "-config",
                "openssl.cnf",
                "-x509",
                "-new",
                "-key",
                name + ".key",
                "-subj",
                subject,
                "-days",
                "30",
                "-addext",
                "basicConstraints=critical,CA:TRUE",
                "-addext",
                "keyUsage=critical,keyCertSign,cRLSign",
                "-out",
                name + ".pem");
        return certificate(name);
    }

    /**
     * A certificate for a new key {@code name} on {@code curve}, signed by {@code issuer} with {@code digest},
     * carrying exactly the extensions given in openssl's config syntax (SKI and AKI are added unless set to none).
     */
    X509Certificate issue(
            String name, String issuer, String subject, String curve, String digest, String... extensions) {
        key(name, curve);
        run("req", "-config", "openssl.cnf", "-new", "-key", name + ".key", "-subj", subject, "-out", name + ".csr");
        write(name + ".ext", String.join("\n", extensions) + "\n");
        run(
                "x509",
                "-req",
                "-in",
                name + ".csr",
                "-CA",
                issuer + ".pem",
                "-CAkey",
                issuer + ".key",
                "-set_serial",
                String.valueOf(++serial + 1000),
                "-days",
                "10",
                "-" + digest,
                "-extfile",
                name + ".ext",
                "-out",
                name + ".pem");
        return certificate(name);
    }

    X509Certificate certificate(String name) {
        try {
            return Pem.certificates(Files.readString(dir.resolve(name + ".pem")))
                    .get(0);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static List<String> base64(X509Certificate... chain) {
        List<String> encoded = new ArrayList<>();
        for (X509Certificate certificate : chain) {
            try {
                encoded.add(Base64.getEncoder().encodeToString(certificate.getEncoded()));
            } catch (java.security.cert.CertificateEncodingException e) {
                throw new IllegalStateException(e);
            }
        }
        return encoded;
    }

    private void key(String name, String curve) {
        run("ecparam", "-name", curve, "-genkey", "-noout", "-out", name + ".key");
    }

    private void write(String file, String text) {
        try {
            Files.writeString(dir.resolve(file), text, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    void run(String... arguments) {
        List<String> command = new ArrayList<>(List.of("openssl"));
        command.addAll(List.of(arguments));
        Commands.ok(dir, Map.of(), command);
    }
}
