package io.imprint.service;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Whether a failure is a dependency being unavailable (database, broker, token), which is waited out and
 * retried, rather than something wrong with the record. Judged on the whole cause chain, by type and, for
 * PostgreSQL errors, by SQLSTATE; service-support does not depend on the database clients, so types are
 * matched by name.
 */
public final class TransientFailures {
    /** Connection-level failures of the network, Vert.x's SQL clients, Hibernate and Kafka clients. */
    private static final Set<String> TYPES = Set.of(
            "java.net.ConnectException",
            "java.net.NoRouteToHostException",
            "java.net.SocketException",
            "java.nio.channels.ClosedChannelException",
            "java.util.concurrent.TimeoutException",
            "io.netty.channel.ConnectTimeoutException",
            "io.netty.channel.StacklessClosedChannelException",
            "io.vertx.core.net.ConnectException",
            "io.vertx.sqlclient.ClosedConnectionException",
            "io.vertx.core.http.ConnectionPoolTooBusyException",
            "org.hibernate.exception.JDBCConnectionException",
            "org.hibernate.reactive.exception.ConnectionException",
            "org.apache.kafka.common.errors.RetriableException",
            "org.apache.kafka.common.errors.TimeoutException",
            "org.apache.kafka.common.errors.DisconnectException");
    /** Messages Vert.x gives connection failures it reports without a type of their own. */
    private static final Set<String> MESSAGES = Set.of(
            "Pool closed",
            "Connection refused",
            "Connection reset",
            "Connection is closed",
            "Fail to read any response from the server");

    private TransientFailures() {}

    public static boolean isTransient(Throwable failure) {
        for (Throwable cause : causes(failure)) {
            for (Class<?> type = cause.getClass(); type != null; type = type.getSuperclass()) {
                if (TYPES.contains(type.getName())) {
                    return true;
                }
            }
            String message = cause.getMessage();
            if (message != null && MESSAGES.stream().anyMatch(message::contains)) {
                return true;
            }
            if (transientSqlState(sqlState(cause))) {
                return true;
            }
        }
        return false;
    }

    /** The failure and its causes, outermost first; a cause that is its own cause ends the chain. */
    static List<Throwable> causes(Throwable failure) {
        List<Throwable> chain = new ArrayList<>();
        for (Throwable cause = failure; cause != null && !chain.contains(cause); cause = cause.getCause()) {
            chain.add(cause);
        }
        return chain;
    }

    /**
     * Connection exceptions (class 08), the server shutting down or starting (57P01-57P03), too many
     * connections (53300), and conflicts a retry resolves (40001 serialization failure, 40P01 deadlock).
     */
    static boolean transientSqlState(String state) {
        return state != null
                && (state.startsWith("08")
                        || state.startsWith("57P")
                        || state.equals("53300")
                        || state.equals("40001")
                        || state.equals("40P01"));
    }

    /** The SQLSTATE of a PostgreSQL error (Vert.x's PgException, or JDBC's SQLException), or null. */
    private static String sqlState(Throwable cause) {
        if (cause instanceof java.sql.SQLException sql) {
            return sql.getSQLState();
        }
        if (cause.getClass().getName().equals("io.vertx.pgclient.PgException")) {
            try {
                return (String) cause.getClass().getMethod("getSqlState").invoke(cause);
            } catch (ReflectiveOperationException e) {
                return null;
            }
        }
        return null;
    }
}
