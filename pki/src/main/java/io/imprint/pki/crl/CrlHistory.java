package io.imprint.pki.crl;

import io.imprint.contracts.QuarantineReason;
import io.imprint.pki.Serials;
import io.imprint.pki.UntrustedEventException;
import java.math.BigInteger;
import java.security.cert.X509CRL;
import java.security.cert.X509CRLEntry;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.x509.Extension;

/**
 * The invariants a CA keeps about its own CRLs, whoever asks for them, per scope (the whole CA, or one partition
 * named by its Issuing Distribution Point): CRL numbers strictly increase over its full and delta CRLs together
 * (RFC 5280 5.2.3 and 5.2.4 give them one sequence), a full CRL lists every serial the previous one listed
 * (a revocation is never undone and IDevID certificates never expire off a CRL), and a delta CRL is based on a
 * full CRL the signer reached and lists every serial the previous delta over that base listed. The signer learns
 * the last CRLs of each scope from what it signed itself (its {@code crl.published} history, whose CRLs carry the
 * CA's own signature) and refuses any request that would break an invariant. Thread-safe.
 */
public final class CrlHistory {
    /**
     * The newest CRL of one kind signed for one scope.
     *
     * @param base for a delta CRL, the full CRL it completes; 0 for a full CRL
     */
    public record Last(long number, Set<BigInteger> serials, String requestId, long base) {
        public Last(long number, Set<BigInteger> serials, String requestId) {
            this(number, serials, requestId, 0);
        }
    }

    /** What to do with a CRL request that keeps the invariants. */
    public enum Decision {
        /** Build and sign it. */
        SIGN,
        /** It is the very request of the last CRL, delivered again: that CRL is already published. */
        ALREADY_SIGNED
    }

    private final Map<String, Last> full = new HashMap<>();
    private final Map<String, Last> delta = new HashMap<>();

    /** The key of a scope: a CA's key id, and the distribution point of one of its partitions (null: none). */
    public static String scope(String issuerKeyId, String distributionPoint) {
        return distributionPoint == null ? issuerKeyId : issuerKeyId + " " + distributionPoint;
    }

    /**
     * Learns a CRL this CA signed; the caller has verified its signature. Its scope and kind are read from the
     * CRL itself. Older CRLs than the one known change nothing, so the history may be read in any order.
     */
    public synchronized void observe(String issuerKeyId, X509CRL crl, String requestId) {
        String key = scope(issuerKeyId, CrlExtensions.distributionPoint(crl));
        Long base = CrlExtensions.deltaBase(crl);
        record(
                base == null ? full : delta,
                key,
                new Last(number(crl), serials(crl), requestId, base == null ? 0 : base));
    }

    /** Records a full CRL just signed. */
    public synchronized void signed(String scope, long number, Set<BigInteger> serials, String requestId) {
        record(full, scope, new Last(number, Set.copyOf(serials), requestId));
    }

    /** Records a delta CRL just signed over full CRL {@code base}. */
    public synchronized void signedDelta(
            String scope, long number, long base, Set<BigInteger> serials, String requestId) {
        record(delta, scope, new Last(number, Set.copyOf(serials), requestId, base));
    }

    /**
     * Whether a requested full CRL may be signed; throws {@link UntrustedEventException} when it would reuse or
     * lower the CRL number, or drop a serial the last full CRL of the scope listed.
     *
     * @param issuer the CA's name, for messages
     */
    public synchronized Decision check(
            String scope, String issuer, long number, Set<BigInteger> serials, String requestId) {
        Last previous = full.get(scope);
        if (previous != null
                && number == previous.number()
                && requestId.equals(previous.requestId())
                && serials.equals(previous.serials())) {
            return Decision.ALREADY_SIGNED;
        }
        requireAbove(scope, issuer, number);
        if (previous != null) {
            requireSuperset(issuer, number, previous, serials);
        }
        return Decision.SIGN;
    }

    /**
     * Whether a requested delta CRL may be signed: its base must be a CRL number this signer has reached with a
     * full CRL of the scope (RFC 5280 5.2.4 lets a relying party apply it to any full CRL numbered at or above its
     * base; it can only add revocations to it), its number must be new, and it keeps every serial of the last delta
     * over the same base.
     */
    public synchronized Decision checkDelta(
            String scope, String issuer, long number, long base, Set<BigInteger> serials, String requestId) {
        Last previous = delta.get(scope);
        if (previous != null
                && number == previous.number()
                && base == previous.base()
                && requestId.equals(previous.requestId())
                && serials.equals(previous.serials())) {
            return Decision.ALREADY_SIGNED;
        }
        Last newestFull = full.get(scope);
        if (newestFull == null || base > newestFull.number()) {
            throw new UntrustedEventException(
                    QuarantineReason.CRL_DELTA_BASE_UNKNOWN,
                    "delta CRL " + number + " for " + issuer + " names base CRL " + base + ", above the newest full CRL"
                            + " this signer signed for that scope ("
                            + (newestFull == null ? "none" : Long.toString(newestFull.number())) + ")");
        }
        requireAbove(scope, issuer, number);
        if (previous != null && previous.base() == base) {
            requireSuperset(issuer, number, previous, serials);
        }
        return Decision.SIGN;
    }

    /**
     * Whether a CRL of this kind numbered {@code number} or above is known for the scope: reading that CRL again
     * would change nothing ({@link #observe} keeps only a higher number).
     */
    public synchronized boolean holds(String scope, long number, boolean isDelta) {
        return numberOf((isDelta ? delta : full).get(scope)) >= number;
    }

    public synchronized Last last(String scope) {
        return full.get(scope);
    }

    public synchronized Last lastDelta(String scope) {
        return delta.get(scope);
    }

    private void requireAbove(String scope, String issuer, long number) {
        long highest = Math.max(numberOf(full.get(scope)), numberOf(delta.get(scope)));
        if (number <= highest) {
            throw new UntrustedEventException(
                    QuarantineReason.CRL_NUMBER_NOT_INCREASING,
                    "CRL number " + number + " for " + issuer + " is not above " + highest
                            + ", the last CRL this signer signed for that scope");
        }
    }

    private static void requireSuperset(String issuer, long number, Last previous, Set<BigInteger> serials) {
        Set<BigInteger> dropped = new TreeSet<>(previous.serials());
        dropped.removeAll(serials);
        if (!dropped.isEmpty()) {
            throw new UntrustedEventException(
                    QuarantineReason.CRL_DROPS_REVOKED_SERIAL,
                    "CRL " + number + " for "
                            + issuer + " would drop " + dropped.size() + " serial(s) listed on CRL " + previous.number()
                            + ", e.g. " + Serials.hex(dropped.iterator().next()) + "; a revocation is never undone");
        }
    }

    private static long numberOf(Last crl) {
        return crl == null ? 0 : crl.number();
    }

    private static void record(Map<String, Last> kind, String scope, Last crl) {
        Last previous = kind.get(scope);
        if (previous == null || crl.number() > previous.number()) {
            kind.put(scope, crl);
        }
    }

    static long number(X509CRL crl) {
        byte[] value = crl.getExtensionValue(Extension.cRLNumber.getId());
        if (value == null) {
            throw new IllegalArgumentException("CRL has no CRL number");
        }
        return ASN1Integer.getInstance(ASN1OctetString.getInstance(value).getOctets())
                .getValue()
                .longValueExact();
    }

    static Set<BigInteger> serials(X509CRL crl) {
        Set<? extends X509CRLEntry> entries = crl.getRevokedCertificates();
        return entries == null
                ? Set.of()
                : entries.stream().map(X509CRLEntry::getSerialNumber).collect(Collectors.toUnmodifiableSet());
    }
}
