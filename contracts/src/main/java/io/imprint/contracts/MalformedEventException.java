package io.imprint.contracts;

/**
 * A record value is not a valid event: not JSON, or a required field is missing or invalid. The message
 * names the field and never echoes the value, so it is safe to put in a dead-letter header.
 */
public class MalformedEventException extends RuntimeException {
    public MalformedEventException(String message, Throwable cause) {
        super(message, cause);
    }
}
