package io.imprint.service;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.ConnectException;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Outages are waited out; what is wrong with a record is not. One row per case, step-ca style. */
class TransientFailuresTest {
    @Test
    void tellsAnOutageFromABadRecord() {
        Map<String, Map.Entry<Throwable, Boolean>> rows = new LinkedHashMap<>();
        rows.put(
                "ok-connection-refused-deep-in-the-chain",
                Map.entry(
                        new IllegalStateException(
                                "deciding failed", new RuntimeException(new ConnectException("refused"))),
                        true));
        rows.put("ok-pool-closed-without-a-type", Map.entry(new RuntimeException("Pool closed"), true));
        rows.put("ok-admin-shutdown", Map.entry(new SQLException("terminating connection", "57P01"), true));
        rows.put("ok-connection-failure-class-08", Map.entry(new SQLException("lost", "08006"), true));
        rows.put("ok-serialization-failure", Map.entry(new SQLException("retry", "40001"), true));
        rows.put("fail-unique-violation", Map.entry(new SQLException("duplicate key", "23505"), false));
        rows.put("fail-bad-argument", Map.entry(new IllegalArgumentException("not base64"), false));
        rows.put("fail-no-message", Map.entry(new NullPointerException(), false));
        rows.forEach((name, row) -> assertEquals(row.getValue(), TransientFailures.isTransient(row.getKey()), name));
    }
}
