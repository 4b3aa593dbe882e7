package io.imprint.contracts;

/**
 * A record value is not a valid event: not JSON, or a required field is missing or invalid. The message
 * names the field and never echoes the value, so it is safe to put in a dead-letter header. It carries no
 * stack trace or cause: the record, not the code, is at fault, and a flood of garbage records must log one
 * line each rather than a stack trace each.
 */
public class MalformedEventException extends RuntimeException {
    /** @param cause the parser's failure, already folded into {@code message}; not kept */
    public MalformedEventException(String message, Throwable cause) {
        super(message, null, false, false);
    }
}
