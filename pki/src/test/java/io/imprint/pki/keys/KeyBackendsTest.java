package io.imprint.pki.keys;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.imprint.pki.TestPki;
import io.imprint.pki.keys.KeyBackends.Kind;
import io.imprint.pki.keys.KeyBackends.Settings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KeyBackendsTest {
    private static final TestPki PKI = new TestPki();

    @Test
    void softwareKeyIsRefusedOutsideTestAndDev(@TempDir Path dir) {
        Path file = dir.resolve("ca.p12");
        PKI.backend.save(file);
        Settings settings = pkcs12(file);
        for (String profile : List.of("prod", "staging", "")) {
            KeyBackendException e = assertThrows(KeyBackendException.class, () -> KeyBackends.open(settings, profile));
            assertTrue(e.getMessage().contains("tests and development only"), e.getMessage());
        }
        KeyBackend opened = KeyBackends.open(settings, "test");
        assertEquals(PKI.issuing.certificate(), opened.key(PKI.issuing.alias()).certificate());
        assertTrue(opened.description().contains("software key"));
    }

    @Test
    void savedPkcs12SignsLikeTheOriginal(@TempDir Path dir) {
        Path file = dir.resolve("ca.p12");
        PKI.backend.save(file);
        SigningPool pool = new SigningPool(KeyBackends.open(pkcs12(file), "dev"), PKI.issuing.alias(), 1);
        assertTrue(pool.sign(new byte[] {1, 2, 3}).length > 8);
        assertTrue(Files.isReadable(file));
    }

    @Test
    void cloudHsmWithoutItsJarSaysWhatToInstall(@TempDir Path dir) {
        Settings missingJar = new Settings(
                Kind.CLOUDHSM_JCE,
                null,
                0,
                "pin"::toCharArray,
                List.of(dir.resolve("cloudhsm-5.16.0.jar")),
                dir,
                "crypto-user",
                null);
        KeyBackendException e = assertThrows(KeyBackendException.class, () -> KeyBackends.open(missingJar, "prod"));
        assertTrue(e.getMessage().contains("install the CloudHSM client package"), e.getMessage());
        Settings noJar = new Settings(Kind.CLOUDHSM_JCE, null, 0, "pin"::toCharArray, List.of(), dir, "u", null);
        assertTrue(assertThrows(KeyBackendException.class, () -> KeyBackends.open(noJar, "prod"))
                .getMessage()
                .contains("imprint.hsm.cloudhsm.jars"));
    }

    @Test
    void cloudHsmJarWithoutTheProviderClassIsNamed(@TempDir Path dir) throws Exception {
        Path notCloudHsm = dir.resolve("empty.jar");
        try (var jar = new java.util.jar.JarOutputStream(Files.newOutputStream(notCloudHsm))) {
            jar.putNextEntry(new java.util.jar.JarEntry("README"));
        }
        Settings settings =
                new Settings(Kind.CLOUDHSM_JCE, null, 0, "pin"::toCharArray, List.of(notCloudHsm), dir, "u", null);
        KeyBackendException e = assertThrows(KeyBackendException.class, () -> KeyBackends.open(settings, "prod"));
        assertTrue(e.getMessage().contains(CloudHsmJceKeyBackend.PROVIDER_CLASS), e.getMessage());
        assertTrue(!e.getMessage().contains("pin"), "no secret in the message");
    }

    private static Settings pkcs12(Path file) {
        return new Settings(
                Kind.PKCS12, null, 0, SoftwareKeyBackend.HOLDING_PASSWORD::toCharArray, List.of(), null, null, file);
    }
}
