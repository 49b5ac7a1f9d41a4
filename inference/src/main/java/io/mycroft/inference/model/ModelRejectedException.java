package io.mycroft.inference.model;

/** A model artifact that must not be used: digest mismatch, unloadable bytes, an architecture that does not fit. */
public final class ModelRejectedException extends RuntimeException {
    public ModelRejectedException(String message, Throwable cause) {
        super(message, cause);
    }

    public ModelRejectedException(String message) {
        super(message);
    }
}
