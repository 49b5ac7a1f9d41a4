package io.mycroft.topology;

/**
 * A record that decoded but cannot be used (key and value disagree, too many samples, request unknown for too long).
 * A processor throws it before changing any state; {@link DeadLetterProcessingHandler} dead-letters the record.
 */
public final class InvalidRecordException extends RuntimeException {
    public InvalidRecordException(String message) {
        super(message);
    }
}
