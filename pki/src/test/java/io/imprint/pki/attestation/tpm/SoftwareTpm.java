package io.imprint.pki.attestation.tpm;

import io.imprint.pki.Commands;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A real TPM 2.0 in software: Debian's swtpm, manufactured by swtpm_setup with an EK certificate from its
 * local CA (standing in for a TPM vendor's), driven with tpm2-tools. Nothing here imitates a TPM.
 */
final class SoftwareTpm implements AutoCloseable {
    /** NV index of the RSA 2048 EK certificate (TCG EK Credential Profile, low range). */
    static final String RSA_EK_CERTIFICATE = "0x1c00002";

    final Path dir;
    private final Process swtpm;
    private final Map<String, String> env;
    private String lastOutput = "";

    SoftwareTpm(Path dir) throws IOException, InterruptedException {
        this.dir = dir;
        Path ca = Files.createDirectories(dir.resolve("ca"));
        Path state = Files.createDirectories(dir.resolve("state"));
        Files.writeString(dir.resolve("localca.conf"), "statedir = " + ca + "\nsigningkey = " + ca
                + "/signkey.pem\nissuercert = " + ca + "/issuercert.pem\ncertserial = " + ca + "/certserial\n");
        Files.writeString(dir.resolve("localca.options"), "--platform-manufacturer Imprint-Test\n"
                + "--platform-version 2.1\n--platform-model TestTPM\n");
        Files.writeString(dir.resolve("setup.conf"), "create_certs_tool = /usr/bin/swtpm_localca\n"
                + "create_certs_tool_config = " + dir.resolve("localca.conf") + "\ncreate_certs_tool_options = "
                + dir.resolve("localca.options") + "\n");
        Commands.ok(dir, Map.of(), List.of("swtpm_setup", "--tpm2", "--tpmstate", state.toString(), "--create-ek-cert",
                "--create-platform-cert", "--config", dir.resolve("setup.conf").toString(), "--overwrite"));
        int port = freePortPair();
        int control = port + 1; // the swtpm TCTI finds the control channel on the next port
        swtpm = new ProcessBuilder("swtpm", "socket", "--tpm2", "--tpmstate", "dir=" + state, "--server",
                "type=tcp,port=" + port, "--ctrl", "type=tcp,port=" + control, "--flags", "not-need-init,startup-clear")
                .redirectErrorStream(true).redirectOutput(dir.resolve("swtpm.log").toFile()).start();
        env = Map.of("TPM2TOOLS_TCTI", "swtpm:host=127.0.0.1,port=" + port);
        for (int attempt = 0; attempt < 50; attempt++) {
            if (tryTpm("tpm2_getcap", "properties-fixed") == 0) {
                return;
            }
            Thread.sleep(100);
        }
        close();
        throw new IllegalStateException("swtpm did not come up: " + Files.readString(dir.resolve("swtpm.log"))
                + " alive=" + swtpm.isAlive() + " " + lastOutput);
    }

    /** The vendor's root and intermediate that issued the EK certificate (swtpm's local CA). */
    Path vendorRoot() {
        return dir.resolve("ca/swtpm-localca-rootca-cert.pem");
    }

    Path vendorIntermediate() {
        return dir.resolve("ca/issuercert.pem");
    }

    /** Runs a tpm2-tools command in the TPM's folder, then flushes transient objects (the TPM holds 3). */
    String tpm(String... command) {
        try {
            return Commands.ok(dir, env, List.of(command));
        } finally {
            tryTpm("tpm2_flushcontext", "-t");
            tryTpm("tpm2_flushcontext", "-s");
        }
    }

    int tryTpm(String... command) {
        Commands.Result result = Commands.run(dir, env, List.of(command));
        lastOutput = result.output();
        return result.exit();
    }

    byte[] read(String file) throws IOException {
        return Files.readAllBytes(dir.resolve(file));
    }

    private static int freePortPair() throws IOException {
        for (int attempt = 0; attempt < 20; attempt++) {
            try (ServerSocket first = new ServerSocket(0); ServerSocket second = new ServerSocket(first.getLocalPort() + 1)) {
                return first.getLocalPort();
            } catch (IOException taken) {
                // the next port is in use: draw again
            }
        }
        throw new IOException("no two free adjacent ports");
    }

    @Override
    public void close() {
        swtpm.destroy();
        try {
            if (!swtpm.waitFor(5, java.util.concurrent.TimeUnit.SECONDS)) {
                swtpm.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            swtpm.destroyForcibly();
        }
    }
}
