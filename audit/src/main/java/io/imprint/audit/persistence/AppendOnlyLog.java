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
 * Checked at start, after the migrations: the role audit runs as may read and append to the log (and to the
 * signed-off reconciliations) and nothing else, so not even a compromised audit process can rewrite what it logged. A role that may update, delete or
 * truncate the log (a superuser, the schema owner) stops audit with a sentence saying which.
 */
@Startup
@ApplicationScoped
public class AppendOnlyLog {
    /** The log and the signed-off reconciliations: written once, kept as written. */
    static final List<String> KEPT_AS_WRITTEN = List.of("audit.audit_record", "audit.sign_off");

    private static final List<String> BEYOND_APPEND = List.of("UPDATE", "DELETE", "TRUNCATE");

    public AppendOnlyLog(AgroalDataSource database) throws SQLException {
        try (Connection connection = database.getConnection()) {
            List<String> held = privilegesBeyondAppend(connection);
            if (!held.isEmpty()) {
                throw new IllegalStateException("audit runs as database role '"
                        + connection.getMetaData().getUserName()
                        + "', which may " + String.join(", ", held)
                        + ": the log would not be append-only. Run audit as a role with only SELECT and INSERT on "
                        + String.join(" and ", KEPT_AS_WRITTEN)
                        + " (IMPRINT_AUDIT_DB_USER, default imprint_audit; the migrations grant exactly that)");
            }
        }
    }

    /** The privileges beyond reading and appending that the connection's role holds, each once. */
    static List<String> privilegesBeyondAppend(Connection connection) throws SQLException {
        List<String> held = new ArrayList<>();
        try (Statement statement = connection.createStatement()) {
            for (String privilege : BEYOND_APPEND) {
                for (String table : KEPT_AS_WRITTEN) {
                    try (ResultSet result = statement.executeQuery(
                            "SELECT has_table_privilege('" + table + "', '" + privilege + "')")) {
                        result.next();
                        if (result.getBoolean(1) && !held.contains(privilege)) {
                            held.add(privilege);
                        }
                    }
                }
            }
        }
        return held;
    }
}
