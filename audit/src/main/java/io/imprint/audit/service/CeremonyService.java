package io.imprint.audit.service;

import io.imprint.contracts.EventCodec;
import io.imprint.contracts.events.CeremonySealedV1;
import io.imprint.pki.Pem;
import io.imprint.pki.Serials;
import io.imprint.pki.ceremony.CeremonySeal;
import io.imprint.pki.ceremony.CeremonySeal.InvalidSeal;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Logs the CA ceremonies an operator uploads, each once its seal holds ({@link CeremonySeal}: the CA key that
 * performed it signed exactly this transcript, chaining to one of {@code imprint.audit.ceremony-roots}), and
 * publishes it on {@code imprint.ceremony.sealed.v1} through the outbox. Station enrolments are found by station.
 */
@ApplicationScoped
public class CeremonyService {
    private final AuditService audit;
    private final AuditOutbox outbox;
    private final List<X509Certificate> roots;

    public CeremonyService(
            AuditService audit,
            AuditOutbox outbox,
            @ConfigProperty(name = "imprint.audit.ceremony-roots") List<Path> rootFiles) {
        this.audit = audit;
        this.outbox = outbox;
        this.roots = roots(rootFiles);
    }

    /**
     * A ceremony as logged.
     *
     * @param logged false when the same transcript was logged before
     */
    public record Recorded(CeremonySealedV1 ceremony, boolean logged) {}

    /**
     * Logs the ceremony unless it is logged already.
     *
     * @throws InvalidSeal before anything is logged, when the seal does not hold
     */
    public Uni<Recorded> record(byte[] transcript, byte[] signature, String operator) {
        CeremonySeal.Sealed sealed = CeremonySeal.verify(transcript, signature, roots);
        CeremonySealedV1 ceremony = new CeremonySealedV1(
                "ceremony-" + sha256(transcript),
                sealed.command(),
                sealed.sealedBy().getSubjectX500Principal().getName(),
                Serials.hex(sealed.sealedBy().getSerialNumber()),
                sealed.sealedAt(),
                sealed.stations(),
                sealed.text(),
                Base64.getEncoder().encodeToString(signature),
                operator,
                Instant.now());
        return audit.appendAll(
                        List.of(AuditService.Entry.of(ceremony, EventCodec.encode(ceremony))),
                        outbox.queue(record -> ceremony.sealerSerial()))
                .map(logged -> new Recorded(ceremony, logged == 1));
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JDK", e);
        }
    }

    private static List<X509Certificate> roots(List<Path> files) {
        List<X509Certificate> roots = new ArrayList<>();
        for (Path file : files) {
            try {
                roots.addAll(Pem.certificates(Files.readString(file)));
            } catch (IOException | IllegalArgumentException e) {
                throw new IllegalStateException(
                        "imprint.audit.ceremony-roots (IMPRINT_AUDIT_CEREMONY_ROOTS): cannot read PEM certificates"
                                + " from " + file);
            }
        }
        if (roots.isEmpty()) {
            throw new IllegalStateException("imprint.audit.ceremony-roots (IMPRINT_AUDIT_CEREMONY_ROOTS) names no"
                    + " root certificate: list the PEM files of the roots ceremonies chain to");
        }
        return List.copyOf(roots);
    }
}
