package io.imprint.pki.keys;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;

/** Opens the configured key backend, and refuses a software key where real keys are expected. */
public final class KeyBackends {
    /** Profiles where a software PKCS#12 key is acceptable: nothing they sign is trusted by anyone. */
    public static final Set<String> SOFTWARE_KEY_PROFILES = Set.of("test", "dev");

    private KeyBackends() {}

    public enum Kind {
        /** Any PKCS#11 library through SunPKCS11 (SoftHSM2, Luna, Utimaco, CloudHSM PKCS#11, YubiHSM 2). */
        PKCS11,
        /** AWS CloudHSM's JCE provider, loaded from the client's jar. */
        CLOUDHSM_JCE,
        /** A PKCS#12 file: tests and development only. */
        PKCS12
    }

    /**
     * What a service configured.
     *
     * @param pin the token PIN (PKCS#11), crypto-user password (CloudHSM) or file password (PKCS#12), read
     *            again at each login
     */
    public record Settings(
            Kind kind,
            Path pkcs11Library,
            int slotListIndex,
            Supplier<char[]> pin,
            List<Path> cloudHsmJars,
            Path cloudHsmCertificates,
            String cloudHsmUser,
            Path pkcs12File) {}

    public static KeyBackend open(Settings settings, String profile) {
        return switch (settings.kind()) {
            case PKCS11 ->
                new Pkcs11KeyBackend(
                        new Pkcs11Config(settings.pkcs11Library(), settings.slotListIndex()), settings.pin());
            case CLOUDHSM_JCE ->
                new CloudHsmJceKeyBackend(
                        settings.cloudHsmJars(),
                        settings.cloudHsmCertificates(),
                        settings.cloudHsmUser(),
                        settings.pin());
            case PKCS12 -> {
                requireSoftwareKeyAllowed(profile);
                if (settings.pkcs12File() == null) {
                    throw new KeyBackendException(
                            "backend pkcs12 needs a PKCS#12 file (imprint.hsm.pkcs12-file)", null);
                }
                char[] password = settings.pin().get();
                try {
                    yield SoftwareKeyBackend.open(settings.pkcs12File(), password);
                } finally {
                    java.util.Arrays.fill(password, '\0');
                }
            }
        };
    }

    static void requireSoftwareKeyAllowed(String profile) {
        if (!SOFTWARE_KEY_PROFILES.contains(profile)) {
            throw new KeyBackendException(
                    "a software PKCS#12 CA key is for tests and development only and is refused" + " in profile '"
                            + profile + "'; use backend pkcs11 or cloudhsm-jce",
                    null);
        }
    }
}
