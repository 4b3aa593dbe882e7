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
public final class SoftwareTpm implements AutoCloseable {
    /** NV index of the RSA 2048 EK certificate (TCG EK Credential Profile, low range). */
    public static final String RSA_EK_CERTIFICATE = "0x1c00002";
    /** NV index of the P-384 EK certificate swtpm_setup also makes. */
    public static final String ECC_EK_CERTIFICATE = "0x1c00016";
    /** Attributes of a key that can never leave the TPM and signs. */
    public static final String NON_EXPORTABLE_SIGNING_KEY =
            "fixedtpm|fixedparent|sensitivedataorigin|userwithauth|sign";

    public final Path dir;
    private final Process swtpm;
    private final Map<String, String> env;
    private String lastOutput = "";

    public SoftwareTpm(Path dir) throws IOException, InterruptedException {
        this.dir = dir;
        Path ca = Files.createDirectories(dir.resolve("ca"));
        Path state = Files.createDirectories(dir.resolve("state"));
        Files.writeString(dir.resolve("localca.conf"), """
                statedir = %1$s
                signingkey = %1$s/signkey.pem
                issuercert = %1$s/issuercert.pem
                certserial = %1$s/certserial
                """.formatted(ca));
        Files.writeString(dir.resolve("localca.options"), """
                --platform-manufacturer Imprint-Test
                --platform-version 2.1
                --platform-model TestTPM
                """);
        Files.writeString(
                dir.resolve("setup.conf"),
                "create_certs_tool = /usr/bin/swtpm_localca\n"
                        + "create_certs_tool_config = " + dir.resolve("localca.conf") + "\ncreate_certs_tool_options = "
                        + dir.resolve("localca.options") + "\n");
        Commands.ok(
                dir,
                Map.of(),
                List.of(
                        "swtpm_setup",
                        "--tpm2",
                        "--tpmstate",
                        state.toString(),
                        "--create-ek-cert",
                        "--create-platform-cert",
                        "--config",
                        dir.resolve("setup.conf").toString(),
                        "--overwrite"));
        int port = freePortPair();
        int control = port + 1; // the swtpm TCTI finds the control channel on the next port
        swtpm = new ProcessBuilder(
                        "swtpm",
                        "socket",
                        "--tpm2",
                        "--tpmstate",
                        "dir=" + state,
                        "--server",
                        "type=tcp,port=" + port,
                        "--ctrl",
                        "type=tcp,port=" + control,
                        "--flags",
                        "not-need-init,startup-clear")
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("swtpm.log").toFile())
                .start();
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
    public Path vendorRoot() {
        return dir.resolve("ca/swtpm-localca-rootca-cert.pem");
    }

    public Path vendorIntermediate() {
        return dir.resolve("ca/issuercert.pem");
    }

    /** Runs a tpm2-tools command in the TPM's folder, then flushes transient objects (the TPM holds 3). */
    public String tpm(String... command) {
        try {
            return Commands.ok(dir, env, List.of(command));
        } finally {
            tryTpm("tpm2_flushcontext", "-t");
            tryTpm("tpm2_flushcontext", "-s");
        }
    }

    public int tryTpm(String... command) {
        Commands.Result result = Commands.run(dir, env, List.of(command));
        lastOutput = result.output();
        return result.exit();
    }

    public byte[] read(String file) throws IOException {
        return Files.readAllBytes(dir.resolve(file));
    }

    /**
     * Reads the RSA EK certificate to {@code ek.der}, loads the EK ({@code ek.ctx}), makes an ECDSA attestation
     * key under it ({@code ak.ctx}, {@code ak.pub}, {@code ak.name}) and an owner primary for device keys.
     */
    public void provisionAttestationKey() {
        tpm("tpm2_nvread", RSA_EK_CERTIFICATE, "-o", "ek.der");
        tpm("tpm2_createek", "-c", "ek.ctx", "-G", "rsa", "-u", "ek.pub");
        tpm(
                "tpm2_createak",
                "-C",
                "ek.ctx",
                "-c",
                "ak.ctx",
                "-G",
                "ecc",
                "-g",
                "sha256",
                "-s",
                "ecdsa",
                "-u",
                "ak.pub",
                "-n",
                "ak.name");
        tpm("tpm2_createprimary", "-C", "o", "-g", "sha256", "-G", "ecc", "-c", "primary.ctx");
    }

    /**
     * Makes key {@code name} in the TPM ({@code name.pub}, {@code name.ctx}) and has the AK certify it
     * ({@code name.attest}, {@code name.sig}).
     */
    public void certifiedKey(String name, String attributes, String algorithm) {
        tpm(
                "tpm2_create",
                "-C",
                "primary.ctx",
                "-G",
                algorithm,
                "-u",
                name + ".pub",
                "-r",
                name + ".priv",
                "-a",
                attributes);
        tpm("tpm2_load", "-C", "primary.ctx", "-u", name + ".pub", "-r", name + ".priv", "-c", name + ".ctx");
        tpm(
                "tpm2_certify",
                "-c",
                name + ".ctx",
                "-C",
                "ak.ctx",
                "-g",
                "sha256",
                "-o",
                name + ".attest",
                "-s",
                name + ".sig",
                "-f",
                "plain");
    }

    /** The secret TPM2_ActivateCredential recovers into the AK from a credential in tpm2-tools' file format. */
    public byte[] activate(byte[] credentialFile) throws IOException {
        Files.write(dir.resolve("credential.blob"), credentialFile);
        Files.deleteIfExists(dir.resolve("recovered"));
        tpm(
                "sh",
                "-c",
                "tpm2_startauthsession --policy-session -S session.ctx && tpm2_policysecret -S session.ctx "
                        + "-c e && tpm2_activatecredential -c ak.ctx -C ek.ctx -i credential.blob -o recovered -P "
                        + "session:session.ctx; status=$?; tpm2_flushcontext session.ctx; exit $status");
        return read("recovered");
    }

    /** Key {@code name}'s SHA-256 ECDSA signature (DER) over {@code message}, made by the TPM. */
    public byte[] sign(String name, byte[] message) throws IOException {
        Files.write(dir.resolve("message.bin"), message);
        tpm("tpm2_sign", "-c", name + ".ctx", "-g", "sha256", "-f", "plain", "-o", "message.sig", "message.bin");
        return read("message.sig");
    }

    private static int freePortPair() throws IOException {
        for (int attempt = 0; attempt < 20; attempt++) {
            try (ServerSocket first = new ServerSocket(0);
                    ServerSocket second = new ServerSocket(first.getLocalPort() + 1)) {
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
