package io.mycroft.stack.registry;

import java.util.List;

/**
 * An error a registry client can cause, carried to the HTTP layer as Confluent's body
 * {@code {"error_code": ..., "message": ...}}. The factories hold Confluent's codes so clients that switch on them
 * (retry on 5xx, "subject not found" means first registration, ...) behave as they do against Confluent.
 */
final class RegistryException extends RuntimeException {

    private final int httpStatus;
    private final int errorCode;

    private RegistryException(int httpStatus, int errorCode, String message) {
        super(message);
        this.httpStatus = httpStatus;
        this.errorCode = errorCode;
    }

    private RegistryException(int httpStatus, int errorCode, String message, Throwable cause) {
        super(message, cause);
        this.httpStatus = httpStatus;
        this.errorCode = errorCode;
    }

    int httpStatus() {
        return httpStatus;
    }

    int errorCode() {
        return errorCode;
    }

    static RegistryException subjectNotFound(String subject) {
        return new RegistryException(404, 40401, "Subject '" + subject + "' not found.");
    }

    static RegistryException versionNotFound(String subject, int version) {
        return new RegistryException(404, 40402, "Version " + version + " of subject '" + subject + "' not found.");
    }

    static RegistryException schemaNotFound(String what) {
        return new RegistryException(404, 40403, what + " not found.");
    }

    static RegistryException subjectSoftDeleted(String subject) {
        return new RegistryException(404, 40404,
                "Subject '" + subject + "' was soft deleted. Set permanent=true to delete it permanently.");
    }

    static RegistryException subjectNotSoftDeleted(String subject) {
        return new RegistryException(404, 40405, "Subject '" + subject
                + "' was not deleted first before being permanently deleted: delete it without permanent=true first.");
    }

    static RegistryException versionSoftDeleted(String subject, int version) {
        return new RegistryException(404, 40406, "Subject '" + subject + "' version " + version
                + " was soft deleted. Set permanent=true to delete it permanently.");
    }

    static RegistryException versionNotSoftDeleted(String subject, int version) {
        return new RegistryException(404, 40407, "Subject '" + subject + "' version " + version
                + " was not deleted first before being permanently deleted: delete it without permanent=true first.");
    }

    static RegistryException subjectLevelConfigNotFound(String subject) {
        return new RegistryException(404, 40408, "Subject '" + subject
                + "' does not have subject-level compatibility configured; add defaultToGlobal=true to get the global level.");
    }

    static RegistryException incompatible(String subject, List<String> problems) {
        return new RegistryException(409, 409, "Schema being registered is incompatible with an earlier schema for subject '"
                + subject + "', details: " + problems);
    }

    static RegistryException invalidSchema(String reason) {
        return new RegistryException(422, 42201, "Invalid schema: " + reason);
    }

    static RegistryException invalidVersion(String version) {
        return new RegistryException(422, 42202, "The specified version '" + version
                + "' is not a valid version id. Allowed values are between [1, 2^31-1] and the string \"latest\".");
    }

    static RegistryException invalidCompatibilityLevel(String level) {
        return new RegistryException(422, 42203, "Invalid compatibility level '" + level + "'. Valid values are "
                + List.of(CompatibilityLevel.values()) + ".");
    }

    static RegistryException badRequest(String message) {
        return new RegistryException(400, 400, message);
    }

    static RegistryException storeError(String message, Throwable cause) {
        return new RegistryException(500, 50001, "Error in the backend data store: " + message, cause);
    }
}
