package io.mycroft.connectors;

import io.mycroft.schemas.ExampleRecords;
import io.mycroft.schemas.Topic;
import io.mycroft.schemas.Topics;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.util.Map;
import mycroft.schemas.DeadLetter;
import mycroft.schemas.OwnerSample;
import mycroft.schemas.SourcePosition;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.source.SourceRecord;

/**
 * Turns file items into Connect records: a sample into an {@link OwnerSample} on owner-samples, a rejection into a
 * {@link DeadLetter} on dead-letters, both keyed by the owner id.
 *
 * <p>Values leave the task already serialized (Confluent wire format, by the project's {@code AvroSerde} against the
 * project's registry) under Connect's BYTES schema, and the connector requires {@code ByteArrayConverter}, which passes
 * them through unchanged. The task is the only place that holds the Avro record, so this needs no Connect-Struct mapping
 * of the Avro schemas and no converter of our own, and the bytes on the topic are exactly what every other Mycroft
 * producer writes.
 */
final class SampleRecords {
    private final String ownerId;
    private final Topic<String, OwnerSample> samples;
    private final Topic<String, DeadLetter> deadLetters;
    private final Clock clock;

    SampleRecords(String ownerId, Topics topics, Clock clock) {
        this.ownerId = ownerId;
        this.samples = topics.ownerSamples();
        this.deadLetters = topics.deadLetters();
        this.clock = clock;
    }

    /** Source partition of a file: its path relative to the owner's directory. */
    static Map<String, Object> partition(String location) {
        return Map.of("file", location);
    }

    SourceRecord toRecord(String system, String location, FileItem item) {
        if (item instanceof FileItem.Sample s) {
            return record(location, s, samples.name(),
                    samples.valueSerde().serializer().serialize(samples.name(), sample(system, location, s)));
        }
        FileItem.Rejected r = (FileItem.Rejected) item;
        return record(location, r, deadLetters.name(),
                deadLetters.valueSerde().serializer().serialize(deadLetters.name(), deadLetter(system, location, r)));
    }

    private SourceRecord record(String location, FileItem item, String topic, byte[] value) {
        return new SourceRecord(partition(location), item.offset(), topic, null,
                Schema.STRING_SCHEMA, ownerId, Schema.BYTES_SCHEMA, value);
    }

    private OwnerSample sample(String system, String location, FileItem.Sample s) {
        return OwnerSample.newBuilder()
                .setOwnerId(ownerId)
                // Stable across restarts and re-ingestion: the file and the position within it.
                .setSampleId(location + ":" + s.position())
                .setLabel(s.label())
                .setFeatures(s.features() == null ? null : ExampleRecords.vector(s.features()))
                .setRaw(s.raw() == null ? null : ByteBuffer.wrap(s.raw()))
                .setMediaType(s.mediaType())
                .setSource(new SourcePosition(system, location, s.position()))
                .setIngestedAt(clock.instant())
                .build();
    }

    private DeadLetter deadLetter(String system, String location, FileItem.Rejected r) {
        return DeadLetter.newBuilder()
                .setStage("connector." + system)
                .setReason(r.reason())
                .setLocation(location + ":" + r.position())
                .setOriginalValue(ByteBuffer.wrap(r.original()))
                .setFailedAt(clock.instant())
                .build();
    }
}
