package io.imprint.revocation.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** revocation settings. The token holding the OCSP responder key is {@code imprint.hsm.*}. */
@ConfigMapping(prefix = "imprint.revocation")
public interface RevocationConfig {
    /**
     * A bulk revocation job that would revoke more certificates than this waits for a second revoker's approval
     * (dual control) before it runs; 0 asks approval for every job.
     */
    @WithDefault("1000")
    int dualControlThreshold();

    /**
     * Label of the delegated OCSP responder key of the current issuing CA (its certificate is issued by that
     * CA). {@code /crl} serves this CA's CRL.
     */
    @WithDefault("ocsp-responder")
    String ocspResponderAlias();

    /**
     * Responder keys of further issuing CAs this service answers for: a CA rolled over (it keeps its CRL and
     * OCSP for what it issued) or per-factory CAs. One responder per CA.
     */
    Optional<Set<String>> ocspResponderAliases();

    /**
     * How long an operator's revocation of a certificate that is in {@code cert.issued} but not yet recorded
     * here waits for it to be recorded before answering 503 ISSUANCE_NOT_YET_RECORDED.
     */
    @WithDefault("PT20S")
    Duration issuanceWait();

    /** How long a CRL is valid: nextUpdate = thisUpdate + this. */
    @WithDefault("PT24H")
    Duration crlValidity();

    /**
     * How long a delta CRL is valid. Short, because relying parties that use deltas are meant to fetch them often;
     * each is re-signed from half its validity on.
     */
    @WithDefault("PT1H")
    Duration deltaCrlValidity();

    /**
     * A scope with more revocations than this since its full CRL gets a new full CRL instead of a delta (a delta
     * that large saves relying parties little).
     */
    @WithDefault("2000")
    int deltaCrlMaxEntries();

    /** How long an OCSP response may be cached: nextUpdate = thisUpdate + this. */
    @WithDefault("PT1H")
    Duration ocspValidity();

    /**
     * Whether OCSP responses are signed ahead of requests: one per certificate, when it is recorded, when it is
     * revoked and from half its validity on, so an RFC 5019 request is answered from the store without a signature.
     * Off, each is signed at its first request.
     */
    @WithDefault("true")
    boolean ocspPresign();

    /** How often the pre-signer looks for certificates whose response is missing, out of date or aging. */
    @WithDefault("PT0.5S")
    Duration ocspPresignInterval();

    /**
     * How often to check whether the CRL needs re-signing although nothing was revoked (due from half its
     * validity on), and how long to wait for the signer before asking again.
     */
    @WithDefault("PT5M")
    Duration crlCheckInterval();

    /**
     * How long after a commit the outbox relay sends what it left: a revocation reaches {@code cert.revoked} and its
     * CA's CRL request about this long after its commit, and all revocations committed meanwhile share one CRL.
     */
    @WithDefault("PT0.1S")
    Duration outboxInterval();

    /**
     * Root certificates (PEM files) whose own CRLs, signed in root ceremonies ({@code ca-ceremony.sh revoke-ca},
     * {@code sign-root-crl}), are served at {@code /crl/<root key id>}: the distribution point every CA certificate
     * below them names.
     */
    Optional<List<String>> roots();

    /** The folder of the roots' CRLs, as the ceremony keeps them ({@code <certs>/root-crls}). */
    Optional<String> rootCrls();

    /** How often the relay looks at the outbox although this instance committed nothing (other instances, crashes). */
    @WithDefault("PT2S")
    Duration outboxSweep();
}
