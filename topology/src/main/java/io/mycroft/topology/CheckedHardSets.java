package io.mycroft.topology;

import io.mycroft.processors.InvalidRecordException;
import io.mycroft.processors.UsefulSubsetProcessor;
import io.mycroft.schemas.Topic;
import mycroft.schemas.HardSetVectors;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

/**
 * The value serde of {@code hardset-vectors} as the global table reads it: a hard set that decodes but cannot be used
 * (bad ids, no classes, a budget that leaves a class nothing) fails like undecodable bytes, so the deserialization
 * handler dead-letters it and it never enters the table. A tombstone stays a tombstone (the request was cancelled).
 * The store itself is read with the topic's serde: what is in it was checked on the way in, and {@link
 * io.mycroft.processors.UsefulSubsetProcessor} reads it again only when a hard set changed.
 */
final class CheckedHardSets {
    private CheckedHardSets() {
    }

    static Serde<HardSetVectors> serde(Topic<String, HardSetVectors> topic) {
        Deserializer<HardSetVectors> decode = topic.valueSerde().deserializer();
        Deserializer<HardSetVectors> checked = (name, bytes) -> {
            HardSetVectors hardSet = decode.deserialize(name, bytes);
            String problem = hardSet == null ? null : UsefulSubsetProcessor.problemWith(hardSet);
            if (problem != null) {
                throw new InvalidRecordException(problem);
            }
            return hardSet;
        };
        return Serdes.serdeFrom(topic.valueSerde().serializer(), checked);
    }
}
