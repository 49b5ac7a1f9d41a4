package io.mycroft.connectors;

import io.mycroft.schemas.FloatVectors;
import io.mycroft.schemas.Topic;
import io.mycroft.schemas.Topics;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.util.Map;
import mycroft.schemas.DeadLetter;
import mycroft.schemas.OwnerSample;
import mycroft.schemas.SourcePosition;
import org.apache.kafka.common.config.Config;
import org.apache.kafka.common.config.ConfigValue;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.source.SourceRecord;

/**
 * Turns source items into Connect records: a sample into an {@link OwnerSample} on owner-samples, a rejection into a
 * {@link DeadLetter} on dead-letters, both keyed by the owner id.
 *
 * <p>Values leave the task already serialized (Confluent wire format, by the project's {@code AvroSerde} against the
 * project's registry) under Connect's BYTES schema, and the connector requires {@code ByteArrayConverter}, which passes
 * them through unchanged. The task is the only place that holds the Avro record, so this needs no Connect-Struct mapping
 * of the Avro schemas and no converter of our own, and the bytes on the topic are exactly what every other Mycroft
 * producer writes.
 */
public final class SampleRecords {
    /** The value converter every Mycroft source connector requires: it passes the task's bytes through. */
    public static final String VALUE_CONVERTER = "org.apache.kafka.connect.converters.ByteArrayConverter";
    static final String LOCATION = "location";
    private static final String VALUE_CONVERTER_KEY = "value.converter";
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

    /** Source partition of a file (its path relative to the owner's directory) or a table (its name). */
    static Map<String, Object> partition(String location) {
        return Map.of(LOCATION, location);
    }

    /** Adds a validation error to {@code config} unless the connector config names {@link #VALUE_CONVERTER}. */
    static void requireByteArrayConverter(Config config, Map<String, String> connectorConfig) {
        if (!VALUE_CONVERTER.equals(connectorConfig.get(VALUE_CONVERTER_KEY))) {
            ConfigValue converter = new ConfigValue(VALUE_CONVERTER_KEY);
            converter.value(connectorConfig.get(VALUE_CONVERTER_KEY));
            converter.addErrorMessage("must be " + VALUE_CONVERTER + ": the tasks write Avro in the Confluent wire "
                    + "format themselves");
            config.configValues().add(converter);
        }
    }

    SourceRecord toRecord(String system, String location, SourceItem item) {
        if (item instanceof SourceItem.Sample s) {
            return record(location, s, samples.name(),
                    samples.valueSerde().serializer().serialize(samples.name(), sample(system, location, s)));
        }
        SourceItem.Rejected r = (SourceItem.Rejected) item;
        return record(location, r, deadLetters.name(),
                deadLetters.valueSerde().serializer().serialize(deadLetters.name(), deadLetter(system, location, r)));
    }

    private SourceRecord record(String location, SourceItem item, String topic, byte[] value) {
        return new SourceRecord(partition(location), item.offset(), topic, null,
                Schema.STRING_SCHEMA, ownerId, Schema.BYTES_SCHEMA, value);
    }

    private OwnerSample sample(String system, String location, SourceItem.Sample s) {
        return OwnerSample.newBuilder()
                .setOwnerId(ownerId)
                // Stable across restarts and re-ingestion: the file and the position within it.
                .setSampleId(location + ":" + s.position())
                .setLabel(s.label())
                .setFeatures(s.features() == null ? null : FloatVectors.of(s.features()))
                .setRaw(s.raw() == null ? null : ByteBuffer.wrap(s.raw()))
                .setMediaType(s.mediaType())
                .setSource(new SourcePosition(system, location, s.position()))
                .setIngestedAt(clock.instant())
                .build();
    }

    private DeadLetter deadLetter(String system, String location, SourceItem.Rejected r) {
        return DeadLetter.newBuilder()
                .setStage("connector." + system)
                .setReason(r.reason())
                .setLocation(location + ":" + r.position())
                .setOriginalValue(ByteBuffer.wrap(r.original()))
                .setFailedAt(clock.instant())
                .build();
    }
}
