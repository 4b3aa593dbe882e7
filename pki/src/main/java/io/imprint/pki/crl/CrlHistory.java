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
 * The invariants a CA keeps about its own CRLs, whoever asks for them: per issuing CA, CRL numbers strictly
 * increase (RFC 5280 5.2.3), and a full CRL lists every serial the previous one listed, because a revocation
 * is never undone and IDevID certificates never expire off a CRL. The signer learns the last CRL of each CA
 * from what it signed itself (its {@code crl.published} history, whose CRLs carry the CA's own signature) and
 * refuses any request that would break either invariant. Thread-safe.
 */
public final class CrlHistory {
    /** The newest CRL signed for one CA. */
    public record Last(long number, Set<BigInteger> serials, String requestId) {}

    /** What to do with a CRL request that keeps the invariants. */
    public enum Decision {
        /** Build and sign it. */
        SIGN,
        /** It is the very request of the last CRL, delivered again: that CRL is already published. */
        ALREADY_SIGNED
    }

    private final Map<String, Last> last = new HashMap<>();

    /**
     * Learns a CRL this CA signed; the caller has verified its signature. Older CRLs than the one known change
     * nothing, so the history may be read in any order.
     */
    public synchronized void observe(String issuerKeyId, X509CRL crl, String requestId) {
        record(issuerKeyId, new Last(number(crl), serials(crl), requestId));
    }

    /** Records a CRL just signed. */
    public synchronized void signed(String issuerKeyId, long number, Set<BigInteger> serials, String requestId) {
        record(issuerKeyId, new Last(number, Set.copyOf(serials), requestId));
    }

    /**
     * Whether a requested full CRL may be signed; throws {@link UntrustedEventException} when it would reuse or
     * lower the CRL number, or drop a serial the last CRL of the CA listed.
     *
     * @param issuer the CA's name, for messages
     */
    public synchronized Decision check(
            String issuerKeyId, String issuer, long number, Set<BigInteger> serials, String requestId) {
        Last previous = last.get(issuerKeyId);
        if (previous == null) {
            return Decision.SIGN;
        }
        if (number == previous.number()
                && requestId.equals(previous.requestId())
                && serials.equals(previous.serials())) {
            return Decision.ALREADY_SIGNED;
        }
        if (number <= previous.number()) {
            throw new UntrustedEventException(
                    QuarantineReason.CRL_NUMBER_NOT_INCREASING,
                    "CRL number " + number
                            + " for " + issuer + " is not above " + previous.number()
                            + ", the last CRL this signer signed"
                            + " for that CA");
        }
        Set<BigInteger> dropped = new TreeSet<>(previous.serials());
        dropped.removeAll(serials);
        if (!dropped.isEmpty()) {
            throw new UntrustedEventException(
                    QuarantineReason.CRL_DROPS_REVOKED_SERIAL,
                    "CRL " + number + " for "
                            + issuer + " would drop " + dropped.size() + " serial(s) listed on CRL " + previous.number()
                            + ", e.g. " + Serials.hex(dropped.iterator().next()) + "; a revocation is never undone");
        }
        return Decision.SIGN;
    }

    public synchronized Last last(String issuerKeyId) {
        return last.get(issuerKeyId);
    }

    private void record(String issuerKeyId, Last crl) {
        Last previous = last.get(issuerKeyId);
        if (previous == null || crl.number() > previous.number()) {
            last.put(issuerKeyId, crl);
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
