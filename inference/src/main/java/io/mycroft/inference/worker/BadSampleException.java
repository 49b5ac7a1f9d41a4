package io.mycroft.inference.worker;

/** An owner sample a worker cannot turn into vectors; the message is the dead letter's reason. */
final class BadSampleException extends Exception {
    BadSampleException(String message) {
        super(message);
    }

    BadSampleException(String message, Throwable cause) {
        super(message, cause);
    }
}
