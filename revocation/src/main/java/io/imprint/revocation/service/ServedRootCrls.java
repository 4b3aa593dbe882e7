package io.imprint.revocation.service;

import io.imprint.pki.IssuerKeyId;
import io.imprint.pki.Pem;
import io.imprint.pki.crl.RootCrls;
import io.imprint.revocation.config.RevocationConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CRLException;
import java.security.cert.X509Certificate;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * The roots' own CRLs, listing the CA certificates they revoked: signed in root ceremonies, never by a service, and
 * read from the ceremony's folder at each request (they change a few times a year, by hand). A file that does not
 * verify under its root is not served: relying parties get 503 rather than a CRL the root did not sign.
 */
@ApplicationScoped
public class ServedRootCrls {
    private static final Logger LOG = Logger.getLogger(ServedRootCrls.class);
    private final Map<String, X509Certificate> roots = new LinkedHashMap<>();
    private final RootCrls crls;

    public ServedRootCrls(RevocationConfig config) {
        for (String file : config.roots().orElse(java.util.List.of())) {
            try {
                X509Certificate root =
                        Pem.certificates(Files.readString(Path.of(file))).get(0);
                roots.put(IssuerKeyId.of(root), root);
            } catch (IOException e) {
                throw new UncheckedIOException("imprint.revocation.roots: cannot read " + file, e);
            }
        }
        this.crls = config.rootCrls().map(dir -> new RootCrls(Path.of(dir))).orElse(null);
        if (!roots.isEmpty() && crls == null) {
            throw new IllegalStateException(
                    "imprint.revocation.roots is set but imprint.revocation.root-crls (their folder) is not");
        }
    }

    /** Whether {@code keyId} names a root whose CRL is served here. */
    public boolean serves(String keyId) {
        return roots.containsKey(keyId);
    }

    /** The root's current CRL, DER; empty when none was signed yet or the file does not verify. */
    public Optional<byte[]> crl(String keyId) {
        X509Certificate root = roots.get(keyId);
        if (root == null) {
            return Optional.empty();
        }
        try {
            return crls.current(root).map(crl -> {
                try {
                    return crl.getEncoded();
                } catch (CRLException e) {
                    throw new IllegalStateException(e);
                }
            });
        } catch (IllegalStateException | UncheckedIOException e) {
            LOG.errorf(
                    "the CRL of root %s is not served: %s",
                    root.getSubjectX500Principal().getName(), e.getMessage());
            return Optional.empty();
        }
    }
}
