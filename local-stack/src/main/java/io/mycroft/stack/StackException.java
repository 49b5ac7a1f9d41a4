package io.mycroft.stack;

/** A problem the user can fix (a port in use, a child that died, a missing file); its message says what to do. */
public final class StackException extends RuntimeException {
    public StackException(String message) {
        super(message);
    }

    public StackException(String message, Throwable cause) {
        super(message, cause);
    }
}
