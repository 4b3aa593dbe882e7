package io.imprint.intake.config;

import io.imprint.pki.Pem;
import io.imprint.pki.attestation.AttestationProfile;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** csr-intake settings. */
@ConfigMapping(prefix = "imprint.intake")
public interface IntakeConfig {
    /** PEM certificate of the station CA that station credentials must chain to (exported by the CA ceremony). */
    Path stationCa();

    /**
     * Certificate profiles an order may name (each must be configured on the signer, which applies it); the
     * first is the default for orders that name none.
     */
    @WithDefault("idevid")
    List<String> profiles();

    /** How far {@code submittedAt} may lie from the time of intake, either way. */
    @WithDefault("PT5M")
    Duration maxClockSkew();

    /** Issuing CA key aliases an order may name; the first is the default. */
    @WithDefault("issuing-ca")
    List<String> issuingCas();

    /**
     * PEM vendor root per secure-element type (e.g. ATECC608A), for attestation; a file may hold several (a
     * Matter PAA trust list). Empty: attestation refused.
     */
    Map<String, Path> vendorRoots();

    /**
     * Per secure-element type, how its attestation certificates may differ from the default profile (device
     * certificate for digitalSignature only, intermediates with a path length).
     */
    Map<String, AttestationType> attestation();

    interface AttestationType {
        /**
         * Key usages the device certificate may carry, comma-separated RFC 5280 names; digitalSignature is
         * required (default: digitalSignature only). For {@code tpm}, the EK certificate's: no signing bit
         * (default: keyEncipherment,keyAgreement).
         */
        Optional<String> leafKeyUsages();

        /** Whether the vendor's intermediate CAs must carry a path length constraint (default: true; tpm: false). */
        Optional<Boolean> intermediatePathLength();

        /**
         * {@code x509}; {@code matter} for Matter's PAA, PAI and DAC (the type's roots are the PAA trust list);
         * {@code tpm} for TPM 2.0 submissions (the type's roots are the TPM vendors' EK roots).
         */
        @WithDefault("x509")
        AttestationProfile.Format format();
    }

    /**
     * PEM certificates of the vendor manifest signers whose signed manifests (Microchip's) an operator may
     * upload to an order; none: only fingerprint lists are taken.
     */
    Optional<List<Path>> manifestSigners();

    /**
     * PEM certificates of the CSA's certification-declaration signing keys, for orders of Matter devices that
     * carry their product's certification declaration; none: such orders are refused.
     */
    Optional<List<Path>> matterCdSigners();

    /** The one PEM certificate in {@code file}; a missing, unreadable or ambiguous file stops the service. */
    static X509Certificate certificate(Path file, String setting) {
        List<X509Certificate> certificates = certificates(file, setting);
        if (certificates.size() != 1) {
            throw new IllegalStateException(
                    setting + ": " + file + " must hold exactly one PEM certificate, found " + certificates.size());
        }
        return certificates.get(0);
    }

    /** The PEM certificates in {@code file}, at least one; otherwise the service stops. */
    static List<X509Certificate> certificates(Path file, String setting) {
        try {
            List<X509Certificate> certificates = Pem.certificates(Files.readString(file));
            if (certificates.isEmpty()) {
                throw new IllegalStateException(setting + ": " + file + " holds no PEM certificate");
            }
            return certificates;
        } catch (IOException e) {
            throw new IllegalStateException(setting + ": cannot read " + file, e);
        }
    }

    Tpm tpm();

    interface Tpm {
        /**
         * How long a TPM submission's credential-activation challenge may be answered. Long enough for a
         * station to run TPM2_ActivateCredential on a busy line, short enough that a stolen challenge soon
         * expires.
         */
        @WithDefault("PT10M")
        Duration challengeTtl();
    }

    /** How long a station revocation may take to reach every intake instance. */
    @WithDefault("PT1S")
    Duration stationRevocationRefresh();

    RateLimits rateLimits();

    interface RateLimits {
        /**
         * Each station's bucket, unless its factory overrides it. The burst fits a tray of devices programmed
         * at once (a gang programmer's 100 to 200); the rate, a line's sustained pace.
         */
        @WithDefault("10")
        double stationPerSecond();

        @WithDefault("200")
        int stationBurst();

        /** Each factory's bucket, shared by its stations, unless overridden. */
        @WithDefault("100")
        double factoryPerSecond();

        @WithDefault("2000")
        int factoryBurst();

        /** Per-factory overrides, keyed by factory id. */
        Map<String, FactoryOverride> factories();
    }

    interface FactoryOverride {
        Optional<Double> stationPerSecond();

        Optional<Integer> stationBurst();

        Optional<Double> factoryPerSecond();

        Optional<Integer> factoryBurst();
    }
}
