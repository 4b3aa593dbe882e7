package io.imprint.pki.ocsp;

import io.imprint.pki.crl.RevokedEntry;

/** What the responder knows of one serial. */
public sealed interface CertificateStatus {
    record Good() implements CertificateStatus {}

    record Revoked(RevokedEntry entry) implements CertificateStatus {}

    /** Not issued by this CA, as far as the responder knows. */
    record Unknown() implements CertificateStatus {}
}
