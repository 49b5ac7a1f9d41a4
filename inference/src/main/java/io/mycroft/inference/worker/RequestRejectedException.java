package io.mycroft.inference.worker;

/** A request the worker cannot serve (unusable model, hard set or options); the message is the dead letter's reason. */
final class RequestRejectedException extends Exception {
    RequestRejectedException(String message, Throwable cause) {
        super(message, cause);
    }
}
