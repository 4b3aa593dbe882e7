package io.imprint.pki.intake;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Patterns an operator may give an order, and the ones that would stall compiling or matching. */
class DeviceIdPatternTest {
    static Stream<Arguments> patterns() {
        return Stream.of(
                Arguments.of("ok-serial", "SN-[0-9]{6}", "SN-000123", true, null),
                Arguments.of("ok-serial-too-short", "SN-[0-9]{6}", "SN-00012", false, null),
                Arguments.of("ok-hex-uid", "01[0-9A-F]{16}", "0123456789ABCDEF01", true, null),
                Arguments.of("ok-alternation", "(ACME|ACNE)-[0-9]{4,8}", "ACNE-12345", true, null),
                Arguments.of("ok-literal-braces", "a{b}", "a{b}", true, null),
                // Catastrophic backtracking for java.util.regex; linear here, and the answer is still right.
                Arguments.of("ok-nested-quantifiers-linear", "(a+)+b", "a".repeat(128), false, null),
                Arguments.of("fail-too-long", "a".repeat(200_000), "a", false, "at most 256"),
                Arguments.of("fail-nested-counted-repetition", "((a{1000}){1000}){1000}", "a", false, "expands"),
                Arguments.of("fail-large-class-repetition", "\\p{L}{1000}", "a", false, "expands"),
                Arguments.of(
                        "fail-wide-alternation-repeated", "(ab|cd|ef|gh|ij|kl|mn|op|qr){1000}", "a", false, "expands"),
                Arguments.of("fail-syntax", "SN-[0-9", "SN-1", false, "not a valid RE2"),
                Arguments.of("fail-backreference", "(a)\\1", "aa", false, "not a valid RE2"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("patterns")
    void compilesOnlyBoundedPatternsAndMatchesInLinearTime(
            String name, String regex, String deviceId, boolean matches, String problem) {
        String found = OrderRules.patternProblem(regex);
        if (problem == null) {
            assertNull(found);
            assertEquals(matches, DeviceIdPattern.compile(regex).matches(deviceId), regex);
        } else {
            assertTrue(found != null && found.contains(problem), found);
        }
    }
}
