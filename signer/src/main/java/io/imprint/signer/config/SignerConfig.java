package io.imprint.signer.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** signer settings. The key backend itself is {@code imprint.hsm.*}. */
@ConfigMapping(prefix = "imprint.signer")
public interface SignerConfig {
    /** Label of the issuing CA that signs requests whose order names none. */
    @WithDefault("issuing-ca")
    String issuingCa();

    /**
     * Every issuing CA this signer holds: orders may name any of them, and CRLs are signed for each. After
     * a rollover the old CA stays listed here, so it keeps signing CRLs, while orders move to the new one.
     * The default CA is always included.
     */
    Optional<Set<String>> issuingCas();

    /** Concurrent HSM sessions per issuing CA; also the number of requests signed in parallel. */
    @WithDefault("4")
    int sessions();

    /** Certificate profiles by name; {@code csr.accepted} events name one. */
    Map<String, Profile> profiles();

    interface Profile {
        /** Certificate lifetime; absent means IEEE 802.1AR "no well-defined expiration" (99991231235959Z). */
        Optional<Duration> validity();

        /** Key usage bit names; absent means matched to the device key (EC: digitalSignature). */
        Optional<Set<String>> keyUsage();

        /** Extended key usages, by name or OID. */
        @WithDefault("clientAuth")
        List<String> extendedKeyUsage();

        /** Certificate policy OIDs. */
        Optional<List<String>> policies();

        /**
         * CRL distribution point written into certificates. {@code {issuer-key-id}} in it is replaced by the
         * issuing CA's key id (hex SHA-256 of its public key), so each CA's certificates point at its own CRL.
         */
        Optional<String> crlUrl();

        /**
         * How many partitioned CRLs new certificates are spread over (RFC 5280 5.2.5): a certificate's shard is its
         * serial modulo this, written where {@code {shard}} stands in {@code crl-url}. Never lower it for a CA whose
         * certificates are out: their shards stay theirs, and raising it only spreads new ones wider.
         */
        @WithDefault("1")
        int crlShards();

        /**
         * Delta CRL URL, written into certificates and full CRLs as Freshest CRL; {@code {issuer-key-id}} and
         * {@code {shard}} as in {@code crl-url}. Absent: no delta CRLs are pointed at.
         */
        Optional<String> deltaCrlUrl();

        /** OCSP responder URL written into certificates. */
        Optional<URI> ocspUrl();

        /** {@code device-id} (CN and serialNumber) or {@code empty} (then a HardwareModuleName is required). */
        @WithDefault("device-id")
        String subject();

        /** hwType OID for an RFC 4108 HardwareModuleName subjectAltName carrying the device id. */
        Optional<String> hardwareModuleType();
    }
}
