package io.imprint.revocation.service;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.imprint.contracts.RevocationReason;
import io.imprint.contracts.events.CrlEntry;
import io.imprint.contracts.events.CrlSignRequestedV1;
import java.time.Instant;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class RevocationOutboxTest {
    /** Such an event could never be sent and would hold back every event after it: it never enters the outbox. */
    @Test
    void refusesAnEventLargerThanOneRecordCarriesBeforeTouchingTheDatabase() {
        Instant now = Instant.parse("2026-11-30T12:00:00Z");
        List<CrlEntry> entries = IntStream.range(0, 12_000)
                .mapToObj(i -> new CrlEntry(String.format("%040x", i + 1L), now, RevocationReason.KEY_COMPROMISE))
                .toList();
        CrlSignRequestedV1 tooLarge =
                new CrlSignRequestedV1("r", "CN=Imprint Issuing CA 1", 7, now, now.plusSeconds(60), entries);
        RevocationOutbox outbox = new RevocationOutbox(null); // a row it tried to store would fail on null
        RevocationOutbox.TooLarge refused = assertThrows(
                RevocationOutbox.TooLarge.class,
                () -> outbox.add(tooLarge, "key").await().indefinitely());
        assertTrue(refused.getMessage().contains("imprint.crl.sign-requested"), refused.getMessage());
    }
}
