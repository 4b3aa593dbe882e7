package io.imprint.testing;

import io.imprint.pki.attestation.Openssl;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;

/**
 * A Matter test hierarchy made by openssl, kept beside the test token: a PAA (the trust list), a PAI for
 * vendor FFF1 (Matter's test vendor id), a certification-declaration signer and, signed by it with
 * {@code openssl cms}, a declaration for product 8000; plus a look-alike signer's declaration. DACs are issued
 * per test for a device key openssl made.
 */
public final class TestMatter {
    public static final String TYPE = "MATTER";
    /** certification-elements: format 1, vendor FFF1, products [8000], device type 0x16, id, levels, version 0x2694. */
    private static final String DECLARATION_TLV = "152400012501f1ff3602050080182603160000002c04135a494732303134315a"
            + "423333303030312d3234240500250600002507942624080018";

    private TestMatter() {}

    private static synchronized Path dir() {
        Path dir = ProjectPaths.root().resolve("work/test-matter");
        if (Files.exists(dir.resolve("declaration.der"))) {
            return dir;
        }
        try {
            Files.createDirectories(dir);
            Files.writeString(dir.resolve("openssl.cnf"), Openssl.MATTER_CONFIG);
            Files.write(dir.resolve("declaration.tlv"), HexFormat.of().parseHex(DECLARATION_TLV));
            Files.writeString(dir.resolve("ca.ext"), """
                    basicConstraints=critical,CA:TRUE,pathlen:0
                    keyUsage=critical,keyCertSign,cRLSign
                    """);
            root(dir, "paa", "/CN=Imprint Test PAA");
            root(dir, "cd-signer", "/CN=Imprint Test CD Signing Authority");
            root(dir, "look-alike-signer", "/CN=Imprint Test CD Signing Authority");
            issue(dir, "pai", "paa", "/CN=Imprint Test PAI/matterVID=FFF1", "ca.ext");
            sign(dir, "cd-signer", "declaration.der");
            sign(dir, "look-alike-signer", "look-alike-declaration.der");
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Intake's settings for the Matter type: the PAA trust list, the format and the declaration signer. */
    public static Map<String, String> quarkusConfig() {
        Path dir = dir();
        return Map.of(
                "imprint.intake.vendor-roots." + TYPE,
                dir.resolve("paa.pem").toString(),
                "imprint.intake.attestation." + TYPE + ".format",
                "matter",
                "imprint.intake.matter-cd-signers",
                dir.resolve("cd-signer.pem").toString());
    }

    /** The product's certification declaration, base64 CMS, as an order carries it. */
    public static String declaration() {
        return base64(dir().resolve("declaration.der"));
    }

    /** The same declaration signed by a signer intake does not trust. */
    public static String lookAlikeDeclaration() {
        return base64(dir().resolve("look-alike-declaration.der"));
    }

    /**
     * The attestation chain (DAC, PAI; base64 DER) a Matter device ships for {@code deviceKey} (a PEM private
     * key file), its DAC naming {@code vendorId} and {@code productId} (four upper-case hex digits).
     */
    public static java.util.List<String> attest(Path deviceKey, String vendorId, String productId) {
        Path dir = dir();
        String name = "dac-" + java.util.UUID.randomUUID();
        try {
            Files.writeString(dir.resolve(name + ".ext"), """
                    basicConstraints=critical,CA:FALSE
                    keyUsage=critical,digitalSignature
                    """);
            openssl(
                    dir,
                    "req",
                    "-config",
                    "openssl.cnf",
                    "-new",
                    "-key",
                    deviceKey.toString(),
                    "-subj",
                    "/CN=Imprint Test DAC/matterVID=" + vendorId + "/matterPID=" + productId,
                    "-out",
                    name + ".csr");
            openssl(
                    dir,
                    "x509",
                    "-req",
                    "-in",
                    name + ".csr",
                    "-CA",
                    "pai.pem",
                    "-CAkey",
                    "pai.key",
                    "-days",
                    "30",
                    "-sha256",
                    "-extfile",
                    name + ".ext",
                    "-outform",
                    "DER",
                    "-out",
                    name + ".der");
            openssl(dir, "x509", "-in", "pai.pem", "-outform", "DER", "-out", "pai.der");
            return java.util.List.of(base64(dir.resolve(name + ".der")), base64(dir.resolve("pai.der")));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void root(Path dir, String name, String subject) {
        openssl(dir, "ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out", name + ".key");
        openssl(
                dir,
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
                "basicConstraints=critical,CA:TRUE,pathlen:1",
                "-addext",
                "keyUsage=critical,keyCertSign,cRLSign",
                "-out",
                name + ".pem");
    }

    private static void issue(Path dir, String name, String issuer, String subject, String extensions) {
        openssl(dir, "ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out", name + ".key");
        openssl(
                dir,
                "req",
                "-config",
                "openssl.cnf",
                "-new",
                "-key",
                name + ".key",
                "-subj",
                subject,
                "-out",
                name + ".csr");
        openssl(
                dir,
                "x509",
                "-req",
                "-in",
                name + ".csr",
                "-CA",
                issuer + ".pem",
                "-CAkey",
                issuer + ".key",
                "-days",
                "30",
                "-sha256",
                "-extfile",
                extensions,
                "-out",
                name + ".pem");
    }

    /** CMS as the CSA signs declarations: SHA-256, no signed attributes, signer named by key id, no certificates. */
    private static void sign(Path dir, String signer, String out) {
        openssl(
                dir,
                "cms",
                "-sign",
                "-binary",
                "-nodetach",
                "-noattr",
                "-md",
                "sha256",
                "-keyid",
                "-signer",
                signer + ".pem",
                "-inkey",
                signer + ".key",
                "-in",
                "declaration.tlv",
                "-outform",
                "DER",
                "-nocerts",
                "-econtent_type",
                "1.2.840.113549.1.7.1",
                "-out",
                out);
    }

    private static void openssl(Path dir, String... arguments) {
        String[] command = new String[arguments.length + 1];
        command[0] = "openssl";
        System.arraycopy(arguments, 0, command, 1, arguments.length);
        Shell.ok(dir, Map.of(), command);
    }

    private static String base64(Path file) {
        try {
            return Base64.getEncoder().encodeToString(Files.readAllBytes(file));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
