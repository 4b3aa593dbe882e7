package io.imprint.pki.issuance;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * What a device certificate says, decided by Imprint, never by the CSR.
 *
 * @param name     the name orders and {@code csr.accepted} events refer to
 * @param validity how long the certificate lasts; {@code null} means IEEE 802.1AR "no well-defined
 *                 expiration" (notAfter 99991231235959Z), the IDevID default
 * @param crlUrl   CRL distribution point
 * @param ocspUrl  OCSP responder URL for the Authority Information Access extension
 */
public record CertificateProfile(String name, Duration validity, URI crlUrl, URI ocspUrl) {
    /** RFC 5280 4.1.2.5: GeneralizedTime 99991231235959Z for certificates without a well-defined expiration. */
    public static final Instant NO_WELL_DEFINED_EXPIRATION = Instant.parse("9999-12-31T23:59:59Z");

    public CertificateProfile {
        Objects.requireNonNull(name, "profile name");
        Objects.requireNonNull(crlUrl, "profile " + name + ": crlUrl");
        Objects.requireNonNull(ocspUrl, "profile " + name + ": ocspUrl");
        if (validity != null && (validity.isNegative() || validity.isZero())) {
            throw new IllegalArgumentException("profile " + name + ": validity must be positive");
        }
    }

    public Instant notAfter(Instant notBefore) {
        return validity == null ? NO_WELL_DEFINED_EXPIRATION : notBefore.plus(validity);
    }
}
