package io.imprint.revocation.service;

import io.imprint.revocation.persistence.CertificateStatusQueries.Issued;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the OCSP responder knows of certificates it was asked about, so a repeated question does not read the
 * database. Only certificates a CA issued are kept (an unknown serial may be issued a moment later), and an entry
 * is dropped the moment its serial is revoked: the cache is used only while the database's revocation
 * notifications are being received ({@link #live}), and an answer read from the database is kept only if no
 * revocation arrived while it was read (the epoch), so it can never hold a status older than a revocation it
 * was told of. Bounded: the least recently asked go first. Thread-safe.
 */
public final class IssuedStatusCache {
    private final Map<String, Kept> entries;
    private long epoch;

    private record Kept(String issuer, Issued status) {}

    private boolean live;

    /** @param capacity most certificates kept (about 150 bytes each) */
    public IssuedStatusCache(int capacity) {
        this.entries = new LinkedHashMap<>(1024, 0.75f, true) {
            private static final long serialVersionUID = 1L;

            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Kept> eldest) {
                return size() > capacity;
            }
        };
    }

    /** Where revocations stand now; pass it back to {@link #keep} with what was read after this call. */
    public synchronized long epoch() {
        return epoch;
    }

    /**
     * The kept status of every one of {@code serials} as issued by {@code issuer}, or empty when any is missing (the
     * caller then reads them all) or the cache is not live.
     */
    public synchronized Optional<List<Issued>> all(String issuer, Collection<String> serials) {
        if (!live) {
            return Optional.empty();
        }
        List<Issued> found = new ArrayList<>(serials.size());
        for (String serial : serials) {
            Kept kept = entries.get(serial);
            if (kept == null || !kept.issuer().equals(issuer)) {
                return Optional.empty();
            }
            found.add(kept.status());
        }
        return Optional.of(found);
    }

    /** Keeps what was read from the database, unless a revocation (or a lost connection) came since {@code read}. */
    public synchronized void keep(long read, String issuer, Collection<Issued> issued) {
        if (!live || read != epoch) {
            return;
        }
        for (Issued i : issued) {
            entries.put(i.serialNumber(), new Kept(issuer, i));
        }
    }

    /** A serial was revoked: whatever was kept for it, and any read in flight, is stale. */
    public synchronized void revoked(String serial) {
        epoch++;
        entries.remove(serial);
    }

    /**
     * Whether revocations are being received: the cache starts empty each time it goes live and is bypassed while
     * it is not.
     */
    public synchronized void live(boolean receiving) {
        epoch++;
        entries.clear();
        live = receiving;
    }
}
