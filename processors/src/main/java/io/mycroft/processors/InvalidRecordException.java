package io.mycroft.processors;

/**
 * A record that cannot be used although its bytes may decode (no key, a tombstone where one means nothing, a hard set
 * that no request could be served with). Thrown before any state changes, by the checks at the edge of a topic; the
 * one who catches it (the processor itself, or the app's deserialization or processing handler) dead-letters the record.
 */
public final class InvalidRecordException extends RuntimeException {
    public InvalidRecordException(String message) {
        super(message);
    }
}
