package io.imprint.revocation.service;

/** An operator's comment on a revocation, as every way of asking for one keeps it: the API's and a signed request's. */
public final class RevocationComments {
    /** Longest comment kept with a revocation (the column's size). */
    public static final int MAX = 512;

    /** What {@link #invalid} refuses, as every caller tells the operator. */
    public static final String RULE = "comment must be at most " + MAX + " characters, without control characters";

    private RevocationComments() {}

    /** The comment as kept: stripped, null when blank. */
    public static String kept(String given) {
        return given == null || given.isBlank() ? null : given.strip();
    }

    /** Whether a kept comment is too long for its column or carries control characters. */
    public static boolean invalid(String comment) {
        return comment != null && (comment.length() > MAX || comment.chars().anyMatch(Character::isISOControl));
    }
}
