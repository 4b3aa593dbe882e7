package io.imprint.pki.crl;

import java.math.BigInteger;
import java.time.Instant;

/** A revoked certificate as CRLs and OCSP report it; {@code reasonCode} is the RFC 5280 CRLReason value. */
public record RevokedEntry(BigInteger serial, Instant revokedAt, int reasonCode) {}
