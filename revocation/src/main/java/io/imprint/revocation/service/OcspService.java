package io.imprint.revocation.service;

import io.imprint.pki.Serials;
import io.imprint.pki.crl.RevokedEntry;
import io.imprint.pki.keys.CaKey;
import io.imprint.pki.keys.KeyBackend;
import io.imprint.pki.ocsp.CertificateStatus;
import io.imprint.pki.ocsp.OcspResponder;
import io.imprint.revocation.config.RevocationConfig;
import io.imprint.revocation.persistence.IssuedCertificateEntity;
import io.imprint.revocation.persistence.RevocationRepository;
import io.imprint.revocation.persistence.RevokedCertificateEntity;
import io.imprint.service.HsmHealthCheck;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.enterprise.context.ApplicationScoped;
import java.math.BigInteger;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Answers OCSP requests from the database with the delegated responder key in the token. The database is
 * read on the event loop; the HSM signature runs on a worker thread, since a network HSM blocks.
 */
@ApplicationScoped
public class OcspService implements HsmHealthCheck.HsmKeys {
    private final KeyBackend token;
    private final CaKey responderKey;
    private final OcspResponder responder;
    private final RevocationRepository store;

    public OcspService(KeyBackend token, RevocationConfig config, RevocationRepository store) {
        this.token = token;
        this.responderKey = token.key(config.ocspResponderAlias());
        if (responderKey.chain().size() < 2) {
            throw new IllegalStateException("OCSP responder key '" + config.ocspResponderAlias()
                    + "' must be stored with its issuing CA certificate in the token; rerun the CA ceremony");
        }
        this.responder = new OcspResponder(responderKey, responderKey.chain().get(1), config.ocspValidity());
        this.store = store;
    }

    /** The issuing CA this responder answers for. */
    public X509Certificate issuer() {
        return responderKey.chain().get(1);
    }

    /** RFC 4514 name of the issuing CA this responder answers for. */
    public String issuerName() {
        return issuer().getSubjectX500Principal().getName();
    }

    public Uni<byte[]> respond(byte[] request) {
        Set<String> serials = OcspResponder.requestedSerials(request).stream().map(Serials::hex)
                .collect(Collectors.toSet());
        Uni<Function<BigInteger, CertificateStatus>> statuses = serials.isEmpty()
                ? Uni.createFrom().item(serial -> new CertificateStatus.Unknown())
                : Panache.withSession(() -> store.issued(serials).chain(issued -> store.revoked(serials)
                        .map(revoked -> lookup(issued, revoked))));
        return statuses.emitOn(Infrastructure.getDefaultWorkerPool())
                .map(lookup -> responder.respond(request, lookup, Instant.now()));
    }

    private static Function<BigInteger, CertificateStatus> lookup(List<IssuedCertificateEntity> issued,
            List<RevokedCertificateEntity> revoked) {
        Map<String, CertificateStatus> status = new HashMap<>();
        issued.forEach(i -> status.put(i.serialNumber, new CertificateStatus.Good()));
        revoked.forEach(r -> status.put(r.serialNumber, new CertificateStatus.Revoked(
                new RevokedEntry(Serials.parse(r.serialNumber), r.revokedAt, r.reason.code()))));
        return serial -> status.getOrDefault(Serials.hex(serial), new CertificateStatus.Unknown());
    }

    @Override
    public KeyBackend token() {
        return token;
    }

    @Override
    public List<String> aliases() {
        return List.of(responderKey.alias());
    }
}
