package io.imprint.revocation.service;

import io.imprint.pki.IssuerKeyId;
import io.imprint.pki.keys.CaKey;
import io.imprint.pki.keys.KeyBackend;
import io.imprint.pki.ocsp.OcspRequest;
import io.imprint.pki.ocsp.OcspResponder;
import io.imprint.revocation.config.RevocationConfig;
import io.imprint.service.HsmHealthCheck;
import jakarta.enterprise.context.ApplicationScoped;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The issuing CAs this service answers for, one per delegated OCSP responder key in the token: the current
 * CA ({@code ocsp-responder-alias}) and any others ({@code ocsp-responder-aliases}), such as a CA that was
 * rolled over and still vouches for the certificates it issued, or per-factory CAs. Each has its own CRL.
 */
@ApplicationScoped
public class ServedIssuers implements HsmHealthCheck.HsmKeys {
    private final KeyBackend token;
    private final List<ServedIssuer> issuers = new ArrayList<>();

    /**
     * One CA whose revocation status this service serves.
     *
     * @param name  RFC 4514 subject of the CA, as {@code cert.issued} names it
     * @param keyId {@link IssuerKeyId} of the CA: the CRL path segment and the CRL store's key
     */
    public record ServedIssuer(
            String name, String keyId, X509Certificate certificate, String responderAlias, OcspResponder responder) {}

    public ServedIssuers(KeyBackend token, RevocationConfig config) {
        this.token = token;
        Set<String> aliases = new LinkedHashSet<>(List.of(config.ocspResponderAlias()));
        aliases.addAll(config.ocspResponderAliases().orElse(Set.of()));
        for (String alias : aliases) {
            CaKey responder = token.key(alias);
            if (responder.chain().size() < 2) {
                throw new IllegalStateException("OCSP responder key '" + alias + "' must be stored with its issuing"
                        + " CA certificate in the token; rerun the CA ceremony");
            }
            X509Certificate ca = responder.chain().get(1);
            String name = ca.getSubjectX500Principal().getName();
            String keyId = IssuerKeyId.of(ca);
            if (issuers.stream().anyMatch(i -> i.keyId().equals(keyId))) {
                throw new IllegalStateException("OCSP responder key '" + alias + "' answers for the same CA as another"
                        + " configured responder; list one responder per issuing CA");
            }
            issuers.add(
                    new ServedIssuer(name, keyId, ca, alias, new OcspResponder(responder, ca, config.ocspValidity())));
        }
    }

    /** The CA certificates are issued by now: its CRL is the one on {@code /crl}. */
    public ServedIssuer current() {
        return issuers.get(0);
    }

    public List<ServedIssuer> all() {
        return List.copyOf(issuers);
    }

    /** The CA whose subject is {@code name}; after a rollover that keeps the name, the current CA's is first. */
    public Optional<ServedIssuer> byName(String name) {
        return issuers.stream().filter(i -> i.name().equals(name)).findFirst();
    }

    public Optional<ServedIssuer> byKeyId(String keyId) {
        return issuers.stream().filter(i -> i.keyId().equals(keyId)).findFirst();
    }

    /** The CA whose responder answers this request, or empty when none does (or it does not parse). */
    public Optional<ServedIssuer> forOcspRequest(OcspRequest request) {
        return issuers.stream().filter(i -> i.responder().answersFor(request)).findFirst();
    }

    @Override
    public KeyBackend token() {
        return token;
    }

    @Override
    public List<String> aliases() {
        return issuers.stream().map(ServedIssuer::responderAlias).toList();
    }
}
