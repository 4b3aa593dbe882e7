package io.imprint.service;

import io.imprint.contracts.MalformedEventException;
import io.imprint.pki.UntrustedEventException;
import io.quarkus.logging.LoggingFilter;
import java.util.logging.Filter;
import java.util.logging.LogRecord;

/**
 * One log line per dead-lettered record: {@link Consumption#quarantined} (or, for a technical failure,
 * {@link Consumption}'s own warning) already says which record went to the dead-letter topic and why, so
 * SmallRye's echo of the same event (the handler's exception, then "sending the record to a dead letter
 * topic") is dropped. A thousand garbage records are a thousand lines, not a thousand stack traces.
 */
@LoggingFilter(name = "imprint-quarantine")
public final class QuarantineLogFilter implements Filter {
    /** SmallRye Kafka's message id for "nacked, sending the record to a dead letter topic". */
    static final String DEAD_LETTER_NOTICE = "SRMSG18202";

    @Override
    public boolean isLoggable(LogRecord record) {
        Throwable thrown = record.getThrown();
        if (thrown instanceof MalformedEventException || thrown instanceof UntrustedEventException) {
            return false;
        }
        String message = record.getMessage();
        return message == null || !message.startsWith(DEAD_LETTER_NOTICE);
    }
}
