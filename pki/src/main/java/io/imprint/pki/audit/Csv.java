package io.imprint.pki.audit;

import java.util.Arrays;
import java.util.stream.Collectors;

/** RFC 4180 lines for the audit's exports, safe to open in a spreadsheet. */
public final class Csv {
    private Csv() {}

    /** The fields as one CSV line, ending in a newline. */
    public static String line(Object... fields) {
        return Arrays.stream(fields).map(Csv::field).collect(Collectors.joining(",")) + "\n";
    }

    /**
     * A field with a comma, quote or line break is quoted, quotes doubled; null is empty. Text that a spreadsheet
     * would run as a formula (leading {@code = + - @}, tab or carriage return) gets a leading apostrophe: device
     * and order ids come from factories and ERPs, and an auditor opens the file.
     */
    static String field(Object value) {
        if (value == null) {
            return "";
        }
        if (value instanceof Number) {
            return value.toString();
        }
        String text = value.toString();
        if (!text.isEmpty() && "=+-@\t\r".indexOf(text.charAt(0)) >= 0) {
            text = "'" + text;
        }
        return text.matches("(?s).*[,\"\r\n].*") ? "\"" + text.replace("\"", "\"\"") + "\"" : text;
    }
}
