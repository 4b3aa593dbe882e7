package io.imprint.pki.crl;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.Date;
import org.bouncycastle.asn1.ASN1UTCTime;
import org.bouncycastle.asn1.x509.Time;

/**
 * CRL times as RFC 5280 5.1.2.4 encodes them: UTCTime {@code YYMMDDHHMMSSZ} through 2049, GeneralizedTime after.
 * UTCTime is written digit by digit: BouncyCastle's {@code Time(Date)} formats each one with a new
 * {@code SimpleDateFormat}, which for a million CRL entries cost more than building and signing the CRLs.
 */
final class CrlTimes {
    private static final int UTC_TIME = 0x17;
    private static final int LENGTH = 13;

    private CrlTimes() {}

    static Time of(Instant at) {
        LocalDateTime t = LocalDateTime.ofEpochSecond(at.getEpochSecond(), 0, ZoneOffset.UTC);
        if (t.getYear() < 1950 || t.getYear() >= 2050) {
            return new Time(Date.from(at));
        }
        byte[] der = new byte[2 + LENGTH];
        der[0] = UTC_TIME;
        der[1] = LENGTH;
        int next = 2;
        next = twoDigits(der, next, t.getYear() % 100);
        next = twoDigits(der, next, t.getMonthValue());
        next = twoDigits(der, next, t.getDayOfMonth());
        next = twoDigits(der, next, t.getHour());
        next = twoDigits(der, next, t.getMinute());
        next = twoDigits(der, next, t.getSecond());
        der[next] = 'Z';
        return new Time(ASN1UTCTime.getInstance(der));
    }

    private static int twoDigits(byte[] der, int at, int value) {
        der[at] = (byte) ('0' + value / 10);
        der[at + 1] = (byte) ('0' + value % 10);
        return at + 2;
    }
}
