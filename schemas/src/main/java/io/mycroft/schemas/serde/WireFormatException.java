package io.mycroft.schemas.serde;

import org.apache.kafka.common.errors.SerializationException;

/**
 * Bytes that are not a readable Confluent-wire-format Avro record of the expected type. The one exception type the
 * dead-letter handlers catch: the record is bad, the pipeline is fine. (An unreachable registry is not this: it raises
 * {@link SchemaRegistryException}, and the record must be retried, not dead-lettered.)
 */
public final class WireFormatException extends SerializationException {

    /** What is wrong with the bytes. */
    public enum Reason {
        /** Fewer than the 5 header bytes, or an Avro body that ends early. */
        TRUNCATED,
        /** First byte is not the magic byte 0. */
        BAD_MAGIC,
        /** The 4-byte schema id is not known to the registry. */
        UNKNOWN_SCHEMA_ID,
        /** The writer's schema cannot be resolved to the reader's (e.g. another record type). */
        SCHEMA_MISMATCH,
        /** The Avro body does not decode (bad varint, bad union index, trailing bytes). */
        CORRUPT_BODY
    }

    private final Reason reason;

    public WireFormatException(Reason reason, String message, Throwable cause) {
        super(reason + ": " + message, cause);
        this.reason = reason;
    }

    public WireFormatException(Reason reason, String message) {
        this(reason, message, null);
    }

    public Reason reason() {
        return reason;
    }
}
