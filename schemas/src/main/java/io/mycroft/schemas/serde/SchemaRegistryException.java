package io.mycroft.schemas.serde;

/** A registry answered with an error (Confluent's {@code error_code}, e.g. 40401, 409, 42201) or could not be reached. */
public final class SchemaRegistryException extends RuntimeException {
    public static final int SUBJECT_NOT_FOUND = 40401;
    public static final int VERSION_NOT_FOUND = 40402;
    public static final int SCHEMA_NOT_FOUND = 40403;
    public static final int INCOMPATIBLE_SCHEMA = 409;
    public static final int INVALID_SCHEMA = 42201;
    /** Not a registry code: the registry could not be reached or answered something unreadable. */
    public static final int UNREACHABLE = -1;

    private final int errorCode;

    public SchemaRegistryException(int errorCode, String message) {
        super(message + " (error_code " + errorCode + ")");
        this.errorCode = errorCode;
    }

    public SchemaRegistryException(String message, Throwable cause) {
        super(message, cause);
        this.errorCode = UNREACHABLE;
    }

    public int errorCode() {
        return errorCode;
    }
}
