package io.imprint.intake;

import io.imprint.testing.Shell;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/** A device key and CSR made by the openssl command line, as a gateway author's tooling would make them. */
final class OpensslDevice {
    final String deviceId;
    private final Path dir;

    OpensslDevice(String deviceId) {
        this.deviceId = deviceId;
        try {
            this.dir = Files.createTempDirectory("openssl-device");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        run("ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out", "device.key");
    }

    /** The device's private key, PEM. */
    Path key() {
        return dir.resolve("device.key");
    }

    /** A CSR for the device id (CN and serialNumber), with the PKCS#9 attributes given as {@code name=value}. */
    String csr(String... attributes) {
        write(
                "req.conf",
                "[req]\nprompt=no\ndistinguished_name=dn\nattributes=attrs\n[dn]\nCN=" + deviceId + "\nserialNumber="
                        + deviceId + "\n[attrs]\n" + String.join("\n", attributes) + "\n");
        run("req", "-new", "-key", "device.key", "-config", "req.conf", "-out", "device.csr");
        return read("device.csr");
    }

    /**
     * The device certificate a vendor CA ({@code caCert}, {@code caKey}: PEM files) issues for this key, with
     * exactly the extensions given in openssl's syntax; base64 DER, as attestation chains carry it.
     */
    String certificate(Path caCert, Path caKey, String... extensions) {
        csr();
        write("device.ext", String.join("\n", extensions) + "\n");
        run(
                "x509",
                "-req",
                "-in",
                "device.csr",
                "-CA",
                caCert.toString(),
                "-CAkey",
                caKey.toString(),
                "-set_serial",
                "4242",
                "-days",
                "30",
                "-sha256",
                "-extfile",
                "device.ext",
                "-outform",
                "DER",
                "-out",
                "device.der");
        try {
            return Base64.getEncoder().encodeToString(Files.readAllBytes(dir.resolve("device.der")));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private void write(String file, String text) {
        try {
            Files.writeString(dir.resolve(file), text, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private String read(String file) {
        try {
            return Files.readString(dir.resolve(file), StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private void run(String... arguments) {
        List<String> command = new ArrayList<>(List.of("openssl"));
        command.addAll(List.of(arguments));
        Shell.ok(dir, Map.of(), command.toArray(String[]::new));
    }
}
