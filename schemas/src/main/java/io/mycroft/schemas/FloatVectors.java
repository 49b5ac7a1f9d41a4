package io.mycroft.schemas;

import mycroft.schemas.FloatVector;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** Builds the {@link FloatVector} record: the values as little-endian float32 bytes, as every schema stores them. */
public final class FloatVectors {
    static {
        // Its callers build records whose builders fill in enum defaults (SelectionOptions' featureSpace): trusted first.
        TrustedSchemas.install();
    }

    private FloatVectors() {
    }

    /** A little-endian float32 vector. */
    public static FloatVector of(float... values) {
        ByteBuffer bytes = ByteBuffer.allocate(4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        bytes.asFloatBuffer().put(values);
        return new FloatVector(values.length, bytes);
    }
}
