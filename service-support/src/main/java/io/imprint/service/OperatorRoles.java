package io.imprint.service;

import io.imprint.pki.operator.OperatorIdentity;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Which roles each operator holds, from a file of {@code name=role,role} lines ({@code imprint.operators.roles-file}).
 * The operator CA says who a person is; this file, kept by the deployment, says what they may do here, so a
 * role is withdrawn by editing it (and restarting) without waiting for the certificate to expire. A missing or
 * malformed file stops the service: an operator API never starts open or with roles nobody meant.
 */
public final class OperatorRoles {
    /** Creates and closes production orders, revokes stations. */
    public static final String ORDER_ADMIN = "order-admin";
    /** Revokes certificates, one or in bulk, and approves another revoker's bulk job. */
    public static final String REVOKER = "revoker";
    /** Reads what reveals production: devices, audit records, revocations; signs off reconciliations. */
    public static final String AUDITOR = "auditor";

    private static final Set<String> ROLES = Set.of(ORDER_ADMIN, REVOKER, AUDITOR);
    private final Map<String, Set<String>> roles;

    private OperatorRoles(Map<String, Set<String>> roles) {
        this.roles = Map.copyOf(roles);
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
        Properties lines = new Properties();
        try (Reader in = Files.newBufferedReader(Path.of(file.strip()))) {
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
        return new OperatorRoles(roles);
    }

    /** The roles granted to {@code operator}; none for an operator the file does not name. */
    public Set<String> of(String operator) {
        return roles.getOrDefault(operator, Set.of());
    }
}
