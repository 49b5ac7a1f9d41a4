package io.mycroft.cli;

/** A problem the user can fix; its message says what is wrong and what to do. Reported as one line, never a stack trace. */
public final class UserError extends RuntimeException {
    public UserError(String message) {
        super(message);
    }
}
