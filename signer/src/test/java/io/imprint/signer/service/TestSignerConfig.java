package io.imprint.signer.service;

import io.imprint.signer.config.SignerConfig;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Signer settings for tests that build the signer's start-up parts without Quarkus. */
record TestSignerConfig(String issuingCa, Map<String, Profile> profiles) implements SignerConfig {
    @Override
    public Optional<Set<String>> issuingCas() {
        return Optional.empty();
    }

    @Override
    public int sessions() {
        return 1;
    }

    /** A device-id profile with only its key usage set, as {@code imprint.signer.profiles.<name>.key-usage}. */
    record KeyUsageProfile(Set<String> usage, List<String> extendedKeyUsage) implements Profile {
        @Override
        public Optional<Duration> validity() {
            return Optional.empty();
        }

        @Override
        public Optional<Set<String>> keyUsage() {
            return Optional.of(usage);
        }

        @Override
        public Optional<List<String>> policies() {
            return Optional.empty();
        }

        @Override
        public Optional<String> crlUrl() {
            return Optional.of("http://127.0.0.1/crl/{issuer-key-id}/{shard}");
        }

        @Override
        public int crlShards() {
            return 4;
        }

        @Override
        public Optional<String> deltaCrlUrl() {
            return Optional.of("http://127.0.0.1/crl/{issuer-key-id}/{shard}/delta");
        }

        @Override
        public Optional<URI> ocspUrl() {
            return Optional.of(URI.create("http://127.0.0.1/ocsp"));
        }

        @Override
        public String subject() {
            return "device-id";
        }

        @Override
        public Optional<String> hardwareModuleType() {
            return Optional.empty();
        }
    }
}
