package io.imprint.audit.persistence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.imprint.testing.ImprintTestInfrastructure;
import io.imprint.testing.TestDatabase;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The role audit runs as, on the database its migrations built, may read the log and nothing more destructive
 * than appending to it; the schema owner (here a superuser) could rewrite it, so audit refuses to run as one.
 */
@QuarkusTest
@QuarkusTestResource(
        value = ImprintTestInfrastructure.class,
        initArgs = {
            @ResourceArg(name = ImprintTestInfrastructure.DATABASE, value = "true"),
            @ResourceArg(name = ImprintTestInfrastructure.DATABASE_ROLE, value = "imprint_audit")
        })
class AppendOnlyLogTest {
    /** PostgreSQL's insufficient_privilege. */
    private static final String DENIED = "42501";

    @Test
    void theServicesRoleCannotUpdateDeleteOrTruncateTheLog() throws SQLException {
        try (Connection audit = TestDatabase.connectAs(TestDatabase.NAME, "imprint_audit", "");
                Statement statement = audit.createStatement()) {
            assertTrue(statement
                    .executeQuery("SELECT count(*) FROM audit.audit_record")
                    .next());
            for (String tamper : List.of(
                    "UPDATE audit.audit_record SET reason = 'edited'",
                    "DELETE FROM audit.audit_record",
                    "TRUNCATE audit.audit_record")) {
                SQLException refused = assertThrows(SQLException.class, () -> statement.execute(tamper), tamper);
                assertEquals(DENIED, refused.getSQLState(), tamper + ": " + refused.getMessage());
            }
            assertEquals(List.of(), AppendOnlyLog.privilegesBeyondAppend(audit));
        }
    }

    @Test
    void theSchemaOwnerCouldRewriteTheLogSoAuditWouldNotStartAsIt() throws SQLException {
        try (Connection owner = TestDatabase.connect()) {
            assertEquals(List.of("UPDATE", "DELETE", "TRUNCATE"), AppendOnlyLog.privilegesBeyondAppend(owner));
        }
    }
}
