package io.imprint.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OperatorRolesTest {
    @Test
    void grantsTheRolesTheFileNamesAndNoneToOthers(@TempDir Path dir) throws IOException {
        Path file = Files.writeString(
                dir.resolve("roles.properties"),
                "# who may do what\nalice=order-admin\nbob = revoker , auditor\nnobody=\n");
        OperatorRoles roles = OperatorRoles.load("setting", file.toString());
        assertEquals(Set.of(OperatorRoles.ORDER_ADMIN), roles.of("alice"));
        assertEquals(Set.of(OperatorRoles.REVOKER, OperatorRoles.AUDITOR), roles.of("bob"));
        assertTrue(roles.of("nobody").isEmpty());
        assertTrue(roles.of("mallory").isEmpty());
    }

    @Test
    void refusesToStartOnAMissingOrMalformedFile(@TempDir Path dir) throws IOException {
        IllegalStateException missing = assertThrows(
                IllegalStateException.class,
                () -> OperatorRoles.load(
                        "imprint.operators.roles-file", dir.resolve("absent").toString()));
        assertTrue(missing.getMessage().startsWith("imprint.operators.roles-file"), missing.getMessage());
        assertThrows(IllegalStateException.class, () -> OperatorRoles.load("setting", " "));
        Path unknownRole = Files.writeString(dir.resolve("a"), "alice=admin\n");
        IllegalStateException role =
                assertThrows(IllegalStateException.class, () -> OperatorRoles.load("setting", unknownRole.toString()));
        assertTrue(role.getMessage().contains("unknown role 'admin'"), role.getMessage());
        Path badName = Files.writeString(dir.resolve("b"), "Alice\\ Smith=revoker\n");
        assertFalse(assertThrows(IllegalStateException.class, () -> OperatorRoles.load("setting", badName.toString()))
                .getMessage()
                .isEmpty());
    }

    /** A role withdrawn in the file is gone at the next question; a file broken later grants nothing until fixed. */
    @Test
    void aChangedFileIsReadAgainAndABrokenOneGrantsNothing(@TempDir Path dir) throws IOException {
        Path file = Files.writeString(dir.resolve("roles.properties"), "alice=revoker\nbob=auditor\n");
        OperatorRoles roles = OperatorRoles.load("setting", file.toString());
        assertEquals(Set.of(OperatorRoles.REVOKER), roles.of("alice"));

        rewrite(file, "bob=auditor\n");
        assertTrue(roles.of("alice").isEmpty(), "alice's role withdrawn");
        assertEquals(Set.of(OperatorRoles.AUDITOR), roles.of("bob"));

        rewrite(file, "bob=auditor\nalice=admin\n");
        assertTrue(roles.of("bob").isEmpty(), "a malformed file grants nothing");
        Files.delete(file);
        assertTrue(roles.of("bob").isEmpty(), "nor does a missing one");

        Files.writeString(file, "bob=auditor,revoker\n");
        assertEquals(Set.of(OperatorRoles.AUDITOR, OperatorRoles.REVOKER), roles.of("bob"));
    }

    /** Writes the file anew, its modification time moved on so that even a coarse file system clock tells. */
    private static void rewrite(Path file, String content) throws IOException {
        FileTime before = Files.getLastModifiedTime(file);
        Files.writeString(file, content);
        Files.setLastModifiedTime(file, FileTime.fromMillis(before.toMillis() + 2_000));
    }
}
