package io.imprint.pki.crl;

import io.imprint.pki.IssuerKeyId;
import io.imprint.pki.keys.CaKey;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.cert.CRLException;
import java.security.cert.X509CRL;
import java.security.cert.X509CRLEntry;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.bouncycastle.asn1.ASN1Enumerated;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.x509.Extension;

/**
 * The CRLs of Imprint's roots, listing the CA certificates each root revoked (ARLs). A root signs nothing else, and
 * is offline in production, so these are signed in a root ceremony with a long validity and kept as DER files
 * {@code DIR/<root key id>.crl}; revocation serves them at {@code /crl/<root key id>}, the distribution point each
 * CA certificate below the root names. Each signing starts from the previous file, verified with the root's key:
 * numbers only increase and an entry is never dropped.
 */
public final class RootCrls {
    /** How long a root's CRL is valid: re-signed in a root ceremony well before then. */
    public static final Duration VALIDITY = Duration.ofDays(365);

    private final Path dir;

    public RootCrls(Path dir) {
        this.dir = dir;
    }

    /** Where the CRL of {@code root} is kept. */
    public Path file(X509Certificate root) {
        return dir.resolve(IssuerKeyId.of(root) + ".crl");
    }

    /** The last CRL signed for {@code root}, verified; empty when there is none yet. */
    public Optional<X509CRL> current(X509Certificate root) {
        Path file = file(root);
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        try {
            byte[] der = Files.readAllBytes(file);
            X509CRL unverified = CrlFactory.parse(der);
            return Optional.of(CrlFactory.verify(der, root, CrlHistory.number(unverified)));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException(
                    file + " is not a CRL of " + root.getSubjectX500Principal().getName() + ": " + e.getMessage()
                            + "; restore it from the last root ceremony",
                    e);
        }
    }

    /**
     * Signs the next CRL of {@code root}: every entry of the last one, plus those of {@code added} whose serial it
     * does not list yet (a CA revoked twice keeps its first entry). Written before it is returned.
     */
    public X509CRL sign(CaKey root, List<RevokedEntry> added, Instant now) {
        Optional<X509CRL> last = current(root.certificate());
        List<RevokedEntry> entries = new ArrayList<>(last.map(RootCrls::entries).orElse(List.of()));
        Set<BigInteger> listed = last.map(CrlHistory::serials).orElse(Set.of());
        added.stream().filter(e -> !listed.contains(e.serial())).forEach(entries::add);
        long number = last.map(crl -> CrlHistory.number(crl) + 1).orElse(1L);
        Instant thisUpdate = now.truncatedTo(ChronoUnit.SECONDS);
        X509CRL crl = new CrlFactory().build(root, number, thisUpdate, thisUpdate.plus(VALIDITY), entries);
        Path file = file(root.certificate());
        try {
            Files.createDirectories(dir);
            Path next = file.resolveSibling(file.getFileName() + ".next");
            Files.write(next, crl.getEncoded());
            Files.move(next, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        } catch (CRLException e) {
            throw new IllegalStateException("cannot encode the CRL just signed", e);
        }
        return crl;
    }

    /** A CRL's number. */
    public static long number(X509CRL crl) {
        return CrlHistory.number(crl);
    }

    private static List<RevokedEntry> entries(X509CRL crl) {
        Set<? extends X509CRLEntry> revoked = crl.getRevokedCertificates();
        if (revoked == null) {
            return List.of();
        }
        return revoked.stream()
                .map(e -> new RevokedEntry(
                        e.getSerialNumber(), e.getRevocationDate().toInstant(), reasonCode(e)))
                .toList();
    }

    /** The entry's RFC 5280 reason code; 0 (unspecified) when it carries none. */
    private static int reasonCode(X509CRLEntry entry) {
        byte[] value = entry.getExtensionValue(Extension.reasonCode.getId());
        return value == null
                ? 0
                : ASN1Enumerated.getInstance(ASN1OctetString.getInstance(value).getOctets())
                        .intValueExact();
    }
}
