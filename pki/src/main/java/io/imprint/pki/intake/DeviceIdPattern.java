package io.imprint.pki.intake;

import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * An order's device-id pattern, in RE2 syntax, matched in time linear in the device id (no backtracking, so
 * no pattern can make a match slow). Compiling is bounded too: the pattern is at most {@value #MAX_LENGTH}
 * characters, and its expanded size (every counted repetition multiplies what it repeats, so
 * {@code ((a{1000}){1000}){1000}} counts a billion) at most {@value #MAX_EXPANDED_SIZE}, checked by a
 * linear scan before the compiler sees it; RE2J itself would exhaust memory on such nesting.
 */
public final class DeviceIdPattern {
    public static final int MAX_LENGTH = 256;
    public static final long MAX_EXPANDED_SIZE = 20_000;
    /** What a character class or \p{...} may compile to: a Unicode class is dozens of ranges. */
    private static final long CLASS_WEIGHT = 64;

    private final Pattern pattern;

    private DeviceIdPattern(Pattern pattern) {
        this.pattern = pattern;
    }

    /**
     * Compiles an order's device id pattern in linear-time RE2J.
     *
     * @throws IllegalArgumentException with a message for the operator, when the pattern is refused
     */
    public static DeviceIdPattern compile(String regex) {
        if (regex.length() > MAX_LENGTH) {
            throw new IllegalArgumentException(
                    "deviceIdPattern is " + regex.length() + " characters; at most " + MAX_LENGTH);
        }
        long size = expandedSize(regex);
        if (size > MAX_EXPANDED_SIZE) {
            throw new IllegalArgumentException("deviceIdPattern expands to more than " + MAX_EXPANDED_SIZE
                    + " states (nested or large counted repetitions); write it without them");
        }
        try {
            return new DeviceIdPattern(Pattern.compile(regex));
        } catch (PatternSyntaxException e) {
            throw new IllegalArgumentException(
                    "deviceIdPattern is not a valid RE2 regular expression: " + e.getDescription());
        }
    }

    public boolean matches(String deviceId) {
        return pattern.matches(deviceId);
    }

    /**
     * An upper bound of the compiled size: atoms count 1 (classes {@value #CLASS_WEIGHT}), a group the sum of
     * its content, a counted repetition multiplies the atom before it. Saturates rather than overflows.
     */
    static long expandedSize(String regex) {
        Deque<long[]> groups = new ArrayDeque<>(); // each: {sum so far, weight of the last atom}
        long[] current = {0, 0};
        int i = 0;
        while (i < regex.length()) {
            char c = regex.charAt(i);
            long atom;
            int next;
            switch (c) {
                case '\\' -> {
                    next = skipEscape(regex, i);
                    boolean classEscape = i + 1 < regex.length() && "pPdDwWsS".indexOf(regex.charAt(i + 1)) >= 0;
                    atom = classEscape ? CLASS_WEIGHT : Math.max(1, next - i - 2);
                }
                case '[' -> {
                    next = skipClass(regex, i);
                    atom = CLASS_WEIGHT;
                }
                case '(' -> {
                    groups.push(current);
                    current = new long[] {0, 0};
                    i++;
                    continue;
                }
                case ')' -> {
                    atom = current[0] + 1;
                    current = groups.isEmpty() ? new long[] {0, 0} : groups.pop();
                    next = i + 1;
                }
                case '{' -> {
                    int close = regex.indexOf('}', i);
                    long count = close < 0 ? -1 : repeatCount(regex.substring(i + 1, close));
                    if (count < 0) {
                        atom = 1; // a literal brace: RE2 reads an unparsable {...} as text
                        next = i + 1;
                    } else {
                        current[0] = plus(current[0], times(current[1], Math.max(0, count - 1)));
                        current[1] = times(current[1], count);
                        i = close + 1;
                        continue;
                    }
                }
                case '*', '+', '?', '|' -> {
                    current[0] = plus(current[0], 1);
                    i++;
                    continue;
                }
                default -> {
                    atom = 1;
                    next = i + 1;
                }
            }
            current[0] = plus(current[0], atom);
            current[1] = atom;
            i = next;
        }
        long total = current[0];
        while (!groups.isEmpty()) {
            total = plus(total, groups.pop()[0]);
        }
        return total;
    }

    private static int skipEscape(String regex, int i) {
        int next = Math.min(regex.length(), i + 2);
        if (next < regex.length() && regex.charAt(next) == '{' && "xpP".indexOf(regex.charAt(i + 1)) >= 0) {
            int close = regex.indexOf('}', next);
            return close < 0 ? regex.length() : close + 1;
        }
        if (regex.charAt(next - 1) == 'Q') {
            int end = regex.indexOf("\\E", next);
            return end < 0 ? regex.length() : end + 2;
        }
        return next;
    }

    private static int skipClass(String regex, int i) {
        int j = i + 1;
        if (j < regex.length() && regex.charAt(j) == '^') {
            j++;
        }
        if (j < regex.length() && regex.charAt(j) == ']') {
            j++; // a leading ] is a literal
        }
        while (j < regex.length() && regex.charAt(j) != ']') {
            if (regex.charAt(j) == '\\') {
                j = skipEscape(regex, j);
            } else if (regex.startsWith("[:", j)) {
                int close = regex.indexOf(":]", j + 2);
                j = close < 0 ? j + 1 : close + 2;
            } else {
                j++;
            }
        }
        return Math.min(regex.length(), j + 1);
    }

    /** {n}, {n,} or {n,m}: the largest count it allows (n + 1 when unbounded), or -1 when it is not one. */
    private static long repeatCount(String inside) {
        if (!inside.matches("[0-9]{1,7}(,[0-9]{0,7})?")) {
            return -1;
        }
        String[] bounds = inside.split(",", -1);
        long min = Long.parseLong(bounds[0]);
        if (bounds.length == 1) {
            return min;
        }
        return bounds[1].isEmpty() ? min + 1 : Math.max(min, Long.parseLong(bounds[1]));
    }

    private static final long CEILING = Long.MAX_VALUE / 4;

    private static long plus(long a, long b) {
        return Math.min(CEILING, a + b);
    }

    private static long times(long a, long b) {
        return a != 0 && b > CEILING / a ? CEILING : a * b;
    }
}
