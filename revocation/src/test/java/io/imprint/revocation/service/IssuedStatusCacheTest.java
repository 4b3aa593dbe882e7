package io.imprint.revocation.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.imprint.contracts.RevocationReason;
import io.imprint.revocation.persistence.CertificateStatusQueries.Issued;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class IssuedStatusCacheTest {
    private static final String CA = "CN=Imprint Issuing CA 1,O=Imprint";
    private static final Issued GOOD = new Issued("0a", null, null);
    private static final Issued OTHER = new Issued("0b", null, null);

    @Test
    void answersFromMemoryOnlyWhileLiveAndForEverySerialAskedOfThatCa() {
        IssuedStatusCache cache = new IssuedStatusCache(10);
        cache.keep(cache.epoch(), CA, List.of(GOOD));
        assertTrue(cache.all(CA, List.of("0a")).isEmpty(), "not live: nothing kept, nothing answered");
        cache.live(true);
        cache.keep(cache.epoch(), CA, List.of(GOOD));
        assertEquals(List.of(GOOD), cache.all(CA, List.of("0a")).orElseThrow());
        assertTrue(cache.all(CA, List.of("0a", "0b")).isEmpty(), "one serial missing: the database answers all");
        assertTrue(cache.all("CN=Another CA", List.of("0a")).isEmpty(), "another CA's question");
        cache.live(false);
        assertTrue(cache.all(CA, List.of("0a")).isEmpty(), "notifications lost: the database again");
    }

    @Test
    void aRevocationDropsTheSerialAndAnyReadThatStartedBeforeIt() {
        IssuedStatusCache cache = new IssuedStatusCache(10);
        cache.live(true);
        cache.keep(cache.epoch(), CA, List.of(GOOD, OTHER));
        long readBefore = cache.epoch();
        cache.revoked("0a");
        assertTrue(cache.all(CA, List.of("0a")).isEmpty());
        assertEquals(List.of(OTHER), cache.all(CA, List.of("0b")).orElseThrow(), "others stay");
        cache.keep(readBefore, CA, List.of(GOOD));
        assertTrue(cache.all(CA, List.of("0a")).isEmpty(), "a 'good' read before the revocation is not kept");
        Issued revoked = new Issued("0a", RevocationReason.KEY_COMPROMISE, Instant.parse("2026-12-01T00:00:00Z"));
        cache.keep(cache.epoch(), CA, List.of(revoked));
        assertEquals(List.of(revoked), cache.all(CA, List.of("0a")).orElseThrow());
    }

    @Test
    void keepsTheMostRecentlyAskedWithinItsCapacity() {
        IssuedStatusCache cache = new IssuedStatusCache(2);
        cache.live(true);
        cache.keep(cache.epoch(), CA, List.of(GOOD, OTHER));
        cache.all(CA, List.of("0a"));
        cache.keep(cache.epoch(), CA, List.of(new Issued("0c", null, null)));
        assertTrue(cache.all(CA, List.of("0b")).isEmpty(), "the least recently asked went");
        assertTrue(cache.all(CA, List.of("0a", "0c")).isPresent());
    }
}
