package io.mycroft.processors.math;

/**
 * A vector handed to the selection math is unusable: wrong dimension, a NaN or infinite entry, a zero norm where a
 * direction is needed, or bytes that are not a whole number of float32 values. Thrown before any state changes, so the
 * caller can dead-letter the record and carry on.
 */
public final class InvalidVectorException extends IllegalArgumentException {
    public InvalidVectorException(String message) {
        super(message);
    }
}
