package io.mycroft.stack.registry;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.Incompatibility;

/**
 * Confluent's compatibility levels, checked with Avro's {@link SchemaCompatibility}. BACKWARD: the new schema reads data
 * written with the old one (consumers upgrade first); FORWARD: the old schema reads data written with the new one;
 * FULL: both. The plain levels check against the latest version, the transitive ones against every version.
 */
enum CompatibilityLevel {
    NONE(false, false, false),
    BACKWARD(true, false, false),
    BACKWARD_TRANSITIVE(true, false, true),
    FORWARD(false, true, false),
    FORWARD_TRANSITIVE(false, true, true),
    FULL(true, true, false),
    FULL_TRANSITIVE(true, true, true);

    static final CompatibilityLevel DEFAULT = BACKWARD;

    private final boolean backward;
    private final boolean forward;
    private final boolean transitive;

    CompatibilityLevel(boolean backward, boolean forward, boolean transitive) {
        this.backward = backward;
        this.forward = forward;
        this.transitive = transitive;
    }

    /** Parses a level as clients send it (any case); an unknown name is Confluent's error 42203. */
    static CompatibilityLevel parse(String name) {
        if (name == null) {
            throw RegistryException.invalidCompatibilityLevel(null);
        }
        try {
            return valueOf(name.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw RegistryException.invalidCompatibilityLevel(name);
        }
    }

    /**
     * Why {@code candidate} may not follow {@code previous} (oldest first) under this level; empty when it may.
     * Only the last of {@code previous} is checked unless the level is transitive.
     */
    List<String> incompatibilities(Schema candidate, List<Schema> previous) {
        List<Schema> checked = transitive || previous.isEmpty() ? previous : previous.subList(previous.size() - 1, previous.size());
        List<String> problems = new ArrayList<>();
        for (Schema old : checked) {
            if (backward) {
                problems.addAll(describe("new schema cannot read data written with an earlier one", candidate, old));
            }
            if (forward) {
                problems.addAll(describe("an earlier schema cannot read data written with the new one", old, candidate));
            }
        }
        return problems;
    }

    private static List<String> describe(String direction, Schema reader, Schema writer) {
        List<String> problems = new ArrayList<>();
        for (Incompatibility incompatibility :
                SchemaCompatibility.checkReaderWriterCompatibility(reader, writer).getResult().getIncompatibilities()) {
            problems.add(direction + ": " + incompatibility.getType() + " at " + incompatibility.getLocation()
                    + " (" + incompatibility.getMessage() + ")");
        }
        return problems;
    }
}
