package io.mycroft.processors;

/**
 * A record that decoded but cannot be used (key and value disagree, too many samples, request unknown for too long).
 * A processor throws it before changing any state; the app's processing-exception handler dead-letters the record.
 */
public final class InvalidRecordException extends RuntimeException {
    public InvalidRecordException(String message) {
        super(message);
    }
}
