package io.imprint.pki.ocsp;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Signed OCSP responses kept for reuse (the RFC 5019 profile: one certificate per request, no nonce, so the same
 * request always gets the same answer until its status changes). An entry answers while the status it was signed
 * for is still the status now, and until half its validity has passed; after that, or the moment the status
 * differs (a revocation), the next request signs afresh. Bounded: the least recently asked are dropped first.
 */
final class SignedResponses {
    private final Duration reuseFor;
    private final Map<String, Entry> entries;

    @SuppressWarnings("ArrayRecordComponent") // never changed once signed
    private record Entry(byte[] der, CertificateStatus status, Instant signedAt) {}

    /**
     * @param validity the responses' validity: each is reused for half of it
     * @param capacity most responses kept
     */
    SignedResponses(Duration validity, int capacity) {
        this.reuseFor = validity.dividedBy(2);
        this.entries = new LinkedHashMap<>(1024, 0.75f, true) {
            private static final long serialVersionUID = 1L;

            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Entry> eldest) {
                return size() > capacity;
            }
        };
    }

    /** The response signed for this request while the certificate had {@code status}, if it may still be used. */
    synchronized byte[] reusable(String request, CertificateStatus status, Instant now) {
        Entry entry = entries.get(request);
        if (entry == null
                || !entry.status().equals(status)
                || now.isBefore(entry.signedAt())
                || !now.isBefore(entry.signedAt().plus(reuseFor))) {
            return null;
        }
        return entry.der();
    }

    synchronized void keep(String request, CertificateStatus status, Instant signedAt, byte[] der) {
        entries.put(request, new Entry(der, status, signedAt));
    }
}
