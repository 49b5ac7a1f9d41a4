package io.mycroft.schemas;

import org.apache.avro.util.ClassSecurityValidator;

/**
 * Avro 1.12 refuses to instantiate classes it has not been told to trust (reading records, or a builder filling in an
 * enum default). This adds the generated package {@code mycroft.schemas} to the trusted set, once per JVM; the serde,
 * the topic catalogue, {@link FloatVectors} and the example records call it, so any code that goes through them is
 * covered.
 */
public final class TrustedSchemas {
    private static final String GENERATED_PACKAGE = "mycroft.schemas.";

    static {
        ClassSecurityValidator.ClassSecurityPredicate before = ClassSecurityValidator.getGlobal();
        ClassSecurityValidator.setGlobal(ClassSecurityValidator.composite(before,
                type -> type.getName().startsWith(GENERATED_PACKAGE)));
    }

    private TrustedSchemas() {
    }

    /** Idempotent: the work happens in the class initialiser. */
    public static void install() {
    }
}
