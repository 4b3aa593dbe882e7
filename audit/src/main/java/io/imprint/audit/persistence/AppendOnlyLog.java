package io.imprint.audit.persistence;

import io.agroal.api.AgroalDataSource;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * Checked at start, after the migrations: the role audit runs as may read and append to the log and nothing
 * else, so not even a compromised audit process can rewrite what it logged. A role that may update, delete or
 * truncate the log (a superuser, the schema owner) stops audit with a sentence saying which.
 */
@Startup
@ApplicationScoped
public class AppendOnlyLog {
    static final String LOG_TABLE = "audit.audit_record";
    private static final List<String> BEYOND_APPEND = List.of("UPDATE", "DELETE", "TRUNCATE");

    public AppendOnlyLog(AgroalDataSource database) throws SQLException {
        try (Connection connection = database.getConnection()) {
            List<String> held = privilegesBeyondAppend(connection);
            if (!held.isEmpty()) {
                throw new IllegalStateException("audit runs as database role '"
                        + connection.getMetaData().getUserName()
                        + "', which may " + String.join(", ", held) + " " + LOG_TABLE
                        + ": the log would not be append-only. Run audit as a role with only SELECT and INSERT on it"
                        + " (IMPRINT_AUDIT_DB_USER, default imprint_audit; the V2 migration grants exactly that)");
            }
        }
    }

    /** The privileges on the log beyond reading and appending that the connection's role holds. */
    static List<String> privilegesBeyondAppend(Connection connection) throws SQLException {
        List<String> held = new ArrayList<>();
        try (Statement statement = connection.createStatement()) {
            for (String privilege : BEYOND_APPEND) {
                try (ResultSet result = statement.executeQuery(
                        "SELECT has_table_privilege('" + LOG_TABLE + "', '" + privilege + "')")) {
                    result.next();
                    if (result.getBoolean(1)) {
                        held.add(privilege);
                    }
                }
            }
        }
        return held;
    }
}
