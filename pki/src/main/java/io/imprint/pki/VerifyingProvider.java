package io.imprint.pki;

import com.amazon.corretto.crypto.provider.AmazonCorrettoCryptoProvider;
import java.security.Provider;
import java.util.Locale;

/**
 * The provider that verifies ECDSA signatures: Amazon Corretto Crypto Provider (AWS-LC, native) where it loads
 * and passes its self-tests, BouncyCastle otherwise. ECDSA verification is the hot path of every service (CSR,
 * station, service and certificate signatures) and native code does it about twice as fast as BouncyCastle (and twenty times the JDK). Strictness
 * never depends on the choice: {@link io.imprint.pki.csr.SignatureVerifier} enforces the encoding before either
 * provider sees a signature. Like {@link Providers#BC} it is passed explicitly, never installed globally.
 *
 * <p>{@value #ENV} (or the system property {@value #PROPERTY}) chooses: {@code auto} (the default: native
 * where it loads), {@code native} (refuse to start without it) or {@code bc} (always BouncyCastle).
 */
public final class VerifyingProvider {
    public static final String ENV = "IMPRINT_VERIFY_PROVIDER";
    public static final String PROPERTY = "imprint.verify-provider";

    private final Provider provider;
    private final String description;
    private final boolean nativeCode;

    private VerifyingProvider(Provider provider, String description, boolean nativeCode) {
        this.provider = provider;
        this.description = description;
        this.nativeCode = nativeCode;
    }

    /** The provider chosen for this process; the first call decides and may refuse ({@code native} unavailable). */
    public static VerifyingProvider active() {
        return Active.CHOSEN;
    }

    /** BouncyCastle, whatever is configured: the reference every verdict of the native provider must equal. */
    public static VerifyingProvider bouncyCastle(String why) {
        return new VerifyingProvider(
                Providers.BC, "BouncyCastle " + Providers.BC.getVersionStr() + " (Java; " + why + ")", false);
    }

    /** The native provider if it loads and passes its self-tests here; otherwise a BouncyCastle one saying why not. */
    public static VerifyingProvider nativeIfAvailable() {
        Throwable failure;
        try {
            AmazonCorrettoCryptoProvider accp = AmazonCorrettoCryptoProvider.INSTANCE;
            failure = accp.getLoadingError();
            if (failure == null) {
                accp.assertHealthy();
                return new VerifyingProvider(
                        accp, accp.getName() + " " + accp.getVersionStr() + " (AWS-LC, native)", true);
            }
        } catch (RuntimeException | LinkageError e) {
            failure = e;
        }
        return bouncyCastle("native provider unavailable: " + failure.getClass().getSimpleName());
    }

    public Provider provider() {
        return provider;
    }

    /** Name, version and why, for logs and health checks. */
    public String description() {
        return description;
    }

    public boolean isNative() {
        return nativeCode;
    }

    /** What {@code setting} (a value of {@value #ENV}, null for the default) selects here. */
    public static VerifyingProvider choose(String setting) {
        String choice =
                setting == null || setting.isBlank() ? "auto" : setting.trim().toLowerCase(Locale.ROOT);
        return switch (choice) {
            case "bc" -> bouncyCastle(ENV + "=bc");
            case "auto" -> nativeIfAvailable();
            case "native" -> requireNative();
            default -> throw new IllegalStateException(ENV + " must be auto, native or bc, not '" + setting + "'");
        };
    }

    private static VerifyingProvider requireNative() {
        VerifyingProvider chosen = nativeIfAvailable();
        if (!chosen.isNative()) {
            throw new IllegalStateException(ENV + "=native but " + chosen.description());
        }
        return chosen;
    }

    private static final class Active {
        static final VerifyingProvider CHOSEN = choose(System.getProperty(PROPERTY, System.getenv(ENV)));
    }
}
