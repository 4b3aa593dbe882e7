package io.imprint.intake;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.imprint.testing.ImprintTestInfrastructure;
import io.imprint.testing.TestDatabase;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The schema is the migrations': csr-intake started on an empty database (TestDatabase makes one per test
 * run) and Flyway built it; the constraints the decisions rely on hold against plain SQL, whoever writes.
 */
@QuarkusTest
@QuarkusTestResource(
        value = ImprintTestInfrastructure.class,
        initArgs = {
            @ResourceArg(name = ImprintTestInfrastructure.DATABASE, value = "true"),
            @ResourceArg(name = ImprintTestInfrastructure.VENDORS, value = "true")
        })
class SchemaMigrationTest {
    @Test
    void flywayBuiltTheSchemaFromItsFirstMigration() throws SQLException {
        try (Connection db = TestDatabase.connect();
                Statement sql = db.createStatement();
                ResultSet applied = sql.executeQuery("SELECT version, success FROM intake.flyway_schema_history "
                        + "WHERE version IS NOT NULL ORDER BY installed_rank")) {
            applied.next();
            assertEquals("1", applied.getString("version"));
            assertEquals(true, applied.getBoolean("success"));
        }
    }

    @Test
    void aSerialIsNeverGivenToTwoRequestsNorARequestIdUsedTwice() throws SQLException {
        String serial = "7" + UUID.randomUUID().toString().replace("-", "").substring(0, 31);
        try (Connection db = TestDatabase.connect();
                Statement sql = db.createStatement()) {
            String first = insert(UUID.randomUUID().toString(), serial);
            sql.executeUpdate(first);
            SQLException twice = assertThrows(
                    SQLException.class,
                    () -> sql.executeUpdate(insert(UUID.randomUUID().toString(), serial)));
            assertEquals("23505", twice.getSQLState(), twice.getMessage());
            String requestId = UUID.randomUUID().toString();
            sql.executeUpdate(insert(requestId, null));
            assertEquals(
                    "23505",
                    assertThrows(SQLException.class, () -> sql.executeUpdate(insert(requestId, null)))
                            .getSQLState());
        }
    }

    private static String insert(String requestId, String serial) {
        return "INSERT INTO intake.intake_request (request_id, device_id, factory_id, station_id, order_id, source, "
                + "accepted, serial, decision_event, decided_at) VALUES ('" + requestId + "', 'd', 'f', 's', 'o', "
                + "'test', " + (serial != null) + ", " + (serial == null ? "NULL" : "'" + serial + "'")
                + ", '', now())";
    }
}
