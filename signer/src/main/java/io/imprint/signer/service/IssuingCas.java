package io.imprint.signer.service;

import io.imprint.pki.Pem;
import io.imprint.pki.keys.KeyBackend;
import io.imprint.pki.keys.SigningPool;
import io.imprint.signer.config.SignerConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.security.cert.X509Certificate;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import javax.security.auth.x500.X500Principal;

/**
 * The issuing CAs this signer holds, each with its own pool of HSM sessions. Each is proved at start: a CA
 * certificate, and a key that signs what its certificate verifies; otherwise the signer does not start.
 */
@ApplicationScoped
public class IssuingCas {
    private final String defaultAlias;
    private final Map<String, SigningPool> byAlias = new LinkedHashMap<>();
    private final Map<String, String> chains = new HashMap<>();

    public IssuingCas(KeyBackend backend, SignerConfig config) {
        this.defaultAlias = config.issuingCa();
        Set<String> aliases = new LinkedHashSet<>(List.of(defaultAlias));
        aliases.addAll(config.issuingCas().orElse(Set.of()));
        for (String alias : aliases) {
            SigningPool pool = new SigningPool(backend, alias, config.sessions());
            if (pool.key().certificate().getBasicConstraints() < 0) {
                throw new IllegalStateException("key '" + alias + "' is not a CA (its certificate has CA:false);"
                        + " imprint.signer.issuing-cas must list issuing CA keys only");
            }
            pool.proveKeyMatchesCertificate();
            byAlias.put(alias, pool);
            chains.put(alias, chainPem(pool.key().chain()));
        }
    }

    /** The issuing CA and the CAs above it, without the root: what a device presents after its own certificate. */
    public String chainPem(SigningPool ca) {
        return chains.get(ca.alias());
    }

    private static String chainPem(List<X509Certificate> chain) {
        return chain.subList(0, Math.max(1, chain.size() - 1)).stream()
                .map(Pem::encode)
                .collect(Collectors.joining());
    }

    /** The CA an order names, or the default when it names none; empty if this signer does not hold it. */
    public Optional<SigningPool> forOrder(String alias) {
        return Optional.ofNullable(byAlias.get(alias == null ? defaultAlias : alias));
    }

    /** The CA whose subject is {@code issuer}, for CRLs. */
    public Optional<SigningPool> byName(X500Principal issuer) {
        return byAlias.values().stream()
                .filter(pool ->
                        pool.key().certificate().getSubjectX500Principal().equals(issuer))
                .findFirst();
    }

    public SigningPool defaultCa() {
        return byAlias.get(defaultAlias);
    }

    public Collection<SigningPool> all() {
        return byAlias.values();
    }

    public Set<String> aliases() {
        return byAlias.keySet();
    }
}
