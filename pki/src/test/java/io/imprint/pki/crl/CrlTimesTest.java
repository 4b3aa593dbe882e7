package io.imprint.pki.crl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.time.Instant;
import java.util.Date;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.x509.Time;
import org.junit.jupiter.api.Test;

class CrlTimesTest {
    @Test
    void encodesExactlyAsBouncyCastlesTimeOnEitherSideOf2050() throws Exception {
        for (String at : new String[] {
            "2026-12-01T03:14:06Z",
            "1999-12-31T23:59:59Z",
            "2000-01-01T00:00:00Z",
            "2049-12-31T23:59:59Z",
            "2050-01-01T00:00:00Z",
            "1950-01-01T00:00:00Z",
            "2026-02-28T09:05:01.999Z"
        }) {
            Instant instant = Instant.parse(at);
            assertArrayEquals(
                    new Time(Date.from(instant.truncatedTo(java.time.temporal.ChronoUnit.SECONDS)))
                            .getEncoded(ASN1Encoding.DER),
                    CrlTimes.of(instant).getEncoded(ASN1Encoding.DER),
                    at);
        }
    }
}
