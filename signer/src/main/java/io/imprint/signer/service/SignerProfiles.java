package io.imprint.signer.service;

import io.imprint.pki.IssuerKeyId;
import io.imprint.pki.crl.CrlDistribution;
import io.imprint.pki.issuance.CertificateProfile;
import io.imprint.pki.issuance.CertificateProfile.SubjectForm;
import io.imprint.pki.issuance.DeviceCertificateIssuer;
import io.imprint.pki.keys.SigningPool;
import io.imprint.signer.config.SignerConfig;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The configured certificate profiles, checked at start-up (a malformed one, or one the lint refuses, stops
 * the signer), and resolved per issuing CA: CRL URLs may name the CA with {@value #ISSUER_KEY_ID}. They also say
 * which CRL distribution points a CA issues under, so the signer signs CRLs for those scopes only.
 */
final class SignerProfiles {
    static final String ISSUER_KEY_ID = "{issuer-key-id}";

    private final Map<String, CertificateProfile> profiles = new TreeMap<>();
    private final Map<String, CrlDistribution> crlTemplates = new HashMap<>();
    private final Map<String, CertificateProfile> resolved = new ConcurrentHashMap<>();

    SignerProfiles(SignerConfig config) {
        if (config.profiles().isEmpty()) {
            throw new IllegalStateException("no certificate profile configured: set imprint.signer.profiles.<name>.*");
        }
        config.profiles().forEach((name, p) -> {
            SubjectForm subject = switch (p.subject().toLowerCase(Locale.ROOT)) {
                case "device-id" -> SubjectForm.DEVICE_ID;
                case "empty" -> SubjectForm.EMPTY;
                default ->
                    throw new IllegalStateException("imprint.signer.profiles." + name
                            + ".subject must be device-id or empty, not '" + p.subject() + "'");
            };
            try {
                Optional<CrlDistribution> crl = p.crlUrl().map(url -> distribution(url, p));
                crl.ifPresent(template -> crlTemplates.put(name, template));
                profiles.put(
                        name,
                        new CertificateProfile(
                                name,
                                p.validity().orElse(null),
                                p.keyUsage().orElse(Set.of()),
                                p.extendedKeyUsage(),
                                p.policies().orElse(List.of()),
                                crl.map(template -> resolve(template, "0".repeat(64)))
                                        .orElse(null),
                                p.ocspUrl().orElse(null),
                                subject,
                                p.hardwareModuleType().orElse(null)));
            } catch (IllegalArgumentException e) {
                throw new IllegalStateException("imprint.signer.profiles." + name + ": " + e.getMessage(), e);
            }
        });
    }

    /**
     * Lints every profile as each CA would issue it; a finding stops the signer with a sentence naming the
     * profile, the CA and what is wrong, rather than refusing every request that names it.
     */
    void lintAgainst(Collection<SigningPool> cas, DeviceCertificateIssuer issuer, Instant now) {
        for (String name : profiles.keySet()) {
            for (SigningPool ca : cas) {
                List<String> findings = issuer.lintProfile(forCa(name, ca).orElseThrow(), ca, now);
                if (!findings.isEmpty()) {
                    throw new IllegalStateException("certificate profile '" + name + "' (imprint.signer.profiles."
                            + name + ".*) fails the pre-issuance lint with issuing CA '" + ca.alias() + "': "
                            + String.join("; ", findings));
                }
            }
        }
    }

    /** Every configured profile as {@code ca} issues it. */
    List<CertificateProfile> allForCa(SigningPool ca) {
        return profiles.keySet().stream()
                .map(name -> forCa(name, ca).orElseThrow())
                .toList();
    }

    /** The named profile as {@code ca} issues it, or empty when no such profile is configured. */
    Optional<CertificateProfile> forCa(String name, SigningPool ca) {
        CertificateProfile profile = profiles.get(name);
        CrlDistribution template = crlTemplates.get(name);
        if (profile == null || template == null) {
            return Optional.ofNullable(profile);
        }
        return Optional.of(resolved.computeIfAbsent(
                name + "\n" + ca.alias(),
                key -> profile.withCrl(resolve(template, IssuerKeyId.of(ca.key().certificate())))));
    }

    /** One partition of a CA's CRLs: its number and where its delta CRLs are (null: none). */
    record CrlPartition(int shard, String distributionPoint, String deltaCrlUrl) {}

    /**
     * The partition whose CRL distribution point is {@code url} under some profile of {@code ca}, or empty when no
     * profile of that CA writes it.
     */
    Optional<CrlPartition> partition(SigningPool ca, String url) {
        String keyId = IssuerKeyId.of(ca.key().certificate());
        for (CrlDistribution template : crlTemplates.values()) {
            CrlDistribution distribution = resolve(template, keyId);
            OptionalInt shard = distribution.shardOf(url);
            if (shard.isPresent()) {
                return Optional.of(new CrlPartition(shard.getAsInt(), url, distribution.deltaCrlUrl(shard.getAsInt())));
            }
        }
        return Optional.empty();
    }

    /** The profile's CRL URLs as written, the CA's key id left in place. */
    private static CrlDistribution distribution(String url, SignerConfig.Profile p) {
        return new CrlDistribution(url, p.crlShards(), p.deltaCrlUrl().orElse(null));
    }

    private static CrlDistribution resolve(CrlDistribution template, String issuerKeyId) {
        return new CrlDistribution(
                template.crlUrl().replace(ISSUER_KEY_ID, issuerKeyId),
                template.shards(),
                template.deltaCrlUrl() == null ? null : template.deltaCrlUrl().replace(ISSUER_KEY_ID, issuerKeyId));
    }
}
