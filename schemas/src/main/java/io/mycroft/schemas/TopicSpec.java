package io.mycroft.schemas;

import org.apache.avro.specific.SpecificRecord;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a topic is before any client touches it: base name (before the prefix), value type, partitions and topic
 * configs (cleanup policy included). Used to create topics; {@link Topics} adds the serdes.
 */
public record TopicSpec(String baseName, Class<? extends SpecificRecord> valueType, int partitions, Map<String, String> configs) {

    static final int MAX_MESSAGE_BYTES = 10 * 1024 * 1024;

    public TopicSpec {
        configs = Map.copyOf(configs);
    }

    static TopicSpec compacted(String baseName, Class<? extends SpecificRecord> valueType, int partitions, Map<String, String> extra) {
        return new TopicSpec(baseName, valueType, partitions, with(extra, "cleanup.policy", "compact"));
    }

    static TopicSpec retained(String baseName, Class<? extends SpecificRecord> valueType, int partitions, Map<String, String> extra) {
        return new TopicSpec(baseName, valueType, partitions, with(extra, "cleanup.policy", "delete"));
    }

    /** The topic's name under {@code prefix} (empty for none). */
    public String name(String prefix) {
        return prefix + baseName;
    }

    public String cleanupPolicy() {
        return configs.get("cleanup.policy");
    }

    private static Map<String, String> with(Map<String, String> extra, String key, String value) {
        Map<String, String> all = new LinkedHashMap<>(extra);
        all.put(key, value);
        return all;
    }
}
