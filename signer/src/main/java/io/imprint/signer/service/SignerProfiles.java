package io.imprint.signer.service;

import io.imprint.pki.issuance.CertificateProfile;
import io.imprint.pki.issuance.CertificateProfile.SubjectForm;
import io.imprint.signer.config.SignerConfig;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/** Turns configured profiles into {@link CertificateProfile}s, failing start-up on a malformed one. */
final class SignerProfiles {
    private SignerProfiles() {
    }

    static Map<String, CertificateProfile> from(SignerConfig config) {
        if (config.profiles().isEmpty()) {
            throw new IllegalStateException("no certificate profile configured: set imprint.signer.profiles.<name>.*");
        }
        Map<String, CertificateProfile> profiles = new TreeMap<>();
        config.profiles().forEach((name, p) -> {
            SubjectForm subject = switch (p.subject().toLowerCase(Locale.ROOT)) {
                case "device-id" -> SubjectForm.DEVICE_ID;
                case "empty" -> SubjectForm.EMPTY;
                default -> throw new IllegalStateException("imprint.signer.profiles." + name
                        + ".subject must be device-id or empty, not '" + p.subject() + "'");
            };
            try {
                profiles.put(name, new CertificateProfile(name, p.validity().orElse(null), p.keyUsage().orElse(Set.of()),
                        p.extendedKeyUsage(), p.policies().orElse(List.of()), p.crlUrl().orElse(null),
                        p.ocspUrl().orElse(null), subject, p.hardwareModuleType().orElse(null)));
            } catch (IllegalArgumentException e) {
                throw new IllegalStateException("imprint.signer.profiles: " + e.getMessage(), e);
            }
        });
        return profiles;
    }
}
