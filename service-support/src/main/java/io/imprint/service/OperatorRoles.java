package io.imprint.service;

import io.imprint.pki.operator.OperatorIdentity;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;

/**
 * Which roles each operator holds, from a file of {@code name=role,role} lines ({@code imprint.operators.roles-file}).
 * The operator CA says who a person is; this file, kept by the deployment, says what they may do here, so a
 * role is withdrawn by editing it without waiting for the certificate to expire. The file is read again whenever it
 * changes (checked at each question: operators act rarely), so the withdrawal holds from the next request on, without
 * a restart. A missing or malformed file stops the service at start (an operator API never starts open or with roles
 * nobody meant); one that turns missing or malformed later leaves every operator without roles until it is fixed.
 */
public final class OperatorRoles {
    private static final Logger LOG = Logger.getLogger(OperatorRoles.class);

    /** Creates and closes production orders, revokes stations. */
    public static final String ORDER_ADMIN = "order-admin";
    /** Revokes certificates, one or in bulk, and approves another revoker's bulk job. */
    public static final String REVOKER = "revoker";
    /** Reads what reveals production: devices, audit records, revocations; signs off reconciliations. */
    public static final String AUDITOR = "auditor";

    private static final Set<String> ROLES = Set.of(ORDER_ADMIN, REVOKER, AUDITOR);
    private final String setting;
    private final Path file;
    private volatile Snapshot current;

    /** The file as last read: its stamp when reading began, and what it granted. */
    private record Snapshot(Stamp stamp, Map<String, Set<String>> roles) {}

    /** What tells a changed file: its modification time and size; null when it cannot be read. */
    private record Stamp(FileTime modified, long size) {
        static Stamp of(Path file) {
            try {
                BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
                return new Stamp(attributes.lastModifiedTime(), attributes.size());
            } catch (IOException e) {
                return null;
            }
        }
    }

    private OperatorRoles(String setting, Path file, Snapshot current) {
        this.setting = setting;
        this.file = file;
        this.current = current;
    }

    /**
     * Reads the roles file, refusing unknown roles and names that are not operator names.
     *
     * @param setting the configuration key, named in the start-up error
     */
    public static OperatorRoles load(String setting, String file) {
        if (file == null || file.isBlank()) {
            throw new IllegalStateException(setting + " must name the operators' roles file");
        }
        Path path = Path.of(file.strip());
        return new OperatorRoles(setting, path, read(setting, path));
    }

    /** The roles granted to {@code operator}; none for an operator the file does not name. */
    public Set<String> of(String operator) {
        return current().roles().getOrDefault(operator, Set.of());
    }

    private Snapshot current() {
        Snapshot snapshot = current;
        if (Objects.equals(Stamp.of(file), snapshot.stamp())) {
            return snapshot;
        }
        synchronized (this) {
            Stamp stamp = Stamp.of(file);
            if (!Objects.equals(stamp, current.stamp())) {
                try {
                    current = read(setting, file);
                    LOG.infof(
                            "%s: %s changed, read again: %d operators",
                            setting, file, current.roles().size());
                } catch (IllegalStateException e) {
                    current = new Snapshot(stamp, Map.of());
                    LOG.errorf("%s; no operator holds any role until the file is fixed", e.getMessage());
                }
            }
            return current;
        }
    }

    private static Snapshot read(String setting, Path file) {
        Stamp stamp = Stamp.of(file);
        Properties lines = new Properties();
        try (Reader in = Files.newBufferedReader(file)) {
            lines.load(in);
        } catch (IOException e) {
            throw new IllegalStateException(setting + ": cannot read " + file + " (" + e.getMessage() + ")", e);
        }
        Map<String, Set<String>> roles = new HashMap<>();
        for (String name : lines.stringPropertyNames()) {
            if (!OperatorIdentity.NAME.matcher(name).matches()) {
                throw new IllegalStateException(setting + ": '" + name + "' is not an operator name");
            }
            Set<String> granted = Arrays.stream(lines.getProperty(name).split(","))
                    .map(String::strip)
                    .filter(role -> !role.isEmpty())
                    .collect(Collectors.toUnmodifiableSet());
            for (String role : granted) {
                if (!ROLES.contains(role)) {
                    throw new IllegalStateException(
                            setting + ": operator " + name + " has unknown role '" + role + "'; roles are " + ROLES);
                }
            }
            roles.put(name, granted);
        }
        return new Snapshot(stamp, Map.copyOf(roles));
    }
}
