package io.mycroft.experiments.scenario;

/** A scenario that asks the data set for more samples than it has (message names the owner and the class). */
public final class OwnerDataException extends RuntimeException {
    public OwnerDataException(String message) {
        super(message);
    }
}
