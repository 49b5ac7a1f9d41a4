package io.mycroft.stack.registry;

import static org.assertj.core.api.Assertions.assertThat;

import io.mycroft.stack.registry.RegistryEvent.CompatibilityCleared;
import io.mycroft.stack.registry.RegistryEvent.CompatibilitySet;
import io.mycroft.stack.registry.RegistryEvent.IdsReserved;
import io.mycroft.stack.registry.RegistryEvent.VersionErased;
import io.mycroft.stack.registry.RegistryEvent.VersionStored;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The topic format and the fold over it, without a broker: every event survives the JSON, and compaction loses no id. */
class RegistryStateTest {

    private static final SchemaVersion V1 = new SchemaVersion("a-value", 1, 1, "\"string\"", false);
    private static final SchemaVersion V2 = new SchemaVersion("a-value", 2, 2, "\"long\"", false);

    private static final List<RegistryEvent> HISTORY = List.of(
            new VersionStored(V1),
            new VersionStored(V2),
            new CompatibilitySet(null, CompatibilityLevel.FULL),
            new CompatibilitySet("a-value", CompatibilityLevel.NONE),
            new CompatibilityCleared("a-value"),
            new VersionStored(V2.softDeleted()),
            new IdsReserved(2),
            new VersionErased("a-value", 2));

    @Test
    void everyEventSurvivesTheTopicFormat() {
        for (RegistryEvent event : HISTORY) {
            assertThat(SchemasTopic.decode(SchemasTopic.key(event), SchemasTopic.value(event))).isEqualTo(event);
        }
    }

    @Test
    void tombstonesAreTheTwoDeletions() {
        assertThat(HISTORY.stream().filter(event -> SchemasTopic.value(event) == null))
                .containsExactly(new CompatibilityCleared("a-value"), new VersionErased("a-value", 2));
    }

    @Test
    void compactedTopicRebuildsTheSameStateAndKeepsErasedIds() {
        RegistryState full = replay(HISTORY);
        RegistryState compacted = replay(compact(HISTORY));

        for (RegistryState state : List.of(full, compacted)) {
            assertThat(state.versions("a-value").values()).containsExactly(V1);
            assertThat(state.schemaById(1)).contains("\"string\"");
            assertThat(state.schemaById(2)).isEmpty();
            assertThat(state.idOf("\"long\"")).isEmpty();
            assertThat(state.globalLevel()).isEqualTo(CompatibilityLevel.FULL);
            assertThat(state.subjectLevel("a-value")).isEmpty();
            assertThat(state.maxId()).as("id 2 was handed out, then erased").isEqualTo(2);
        }
    }

    /** What log compaction leaves once it has run and dropped the tombstones: the last value of each key. */
    private static List<RegistryEvent> compact(List<RegistryEvent> events) {
        Map<String, RegistryEvent> latest = new LinkedHashMap<>();
        for (RegistryEvent event : events) {
            latest.remove(SchemasTopic.key(event));
            latest.put(SchemasTopic.key(event), event);
        }
        return latest.values().stream().filter(event -> SchemasTopic.value(event) != null).toList();
    }

    private static RegistryState replay(List<RegistryEvent> events) {
        RegistryState state = new RegistryState();
        events.forEach(state::apply);
        return state;
    }
}
