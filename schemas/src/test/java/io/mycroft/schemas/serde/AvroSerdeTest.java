package io.mycroft.schemas.serde;

import io.mycroft.schemas.ExampleRecords;
import io.mycroft.schemas.TopicSpec;
import io.mycroft.schemas.Topics;
import mycroft.schemas.DeadLetter;
import mycroft.schemas.OwnerSample;
import mycroft.schemas.SubsetUpdate;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AvroSerdeTest {
    private final InMemorySchemaRegistry registry = new InMemorySchemaRegistry();

    @Test
    void everyTopicsRecordRoundTripsInTheConfluentWireFormat() {
        for (Map.Entry<TopicSpec, Map.Entry<String, SpecificRecord>> example : ExampleRecords.perTopic().entrySet()) {
            SpecificRecord record = example.getValue().getValue();
            byte[] bytes = serde(record).serialize(example.getKey().baseName(), record);

            assertThat(bytes[0]).as("magic byte").isZero();
            int id = ByteBuffer.wrap(bytes, 1, 4).getInt();
            assertThat(registry.schemaById(id)).isEqualTo(record.getSchema());
            assertThat(registry.lookup(example.getKey().baseName() + "-value", record.getSchema())).isEqualTo(id);
            assertThat(serde(record).deserialize(example.getKey().baseName(), bytes)).isEqualTo(record);
        }
    }

    @Test
    void nullIsATombstoneBothWays() {
        AvroSerde<OwnerSample> serde = new AvroSerde<>(OwnerSample.class, registry, true);
        assertThat(serde.serialize("t", null)).isNull();
        assertThat(serde.deserialize("t", null)).isNull();
    }

    @Test
    void keySerdeUsesTheKeySubject() {
        AvroSerde<OwnerSample> serde = new AvroSerde<>(OwnerSample.class);
        serde.configure(Map.of(SerdeConfig.REGISTRY_URL, "mock://key-subject"), true);
        serde.serialize("owner-samples", ExampleRecords.ownerSample());
        assertThat(InMemorySchemaRegistry.scope("key-subject").lookup("owner-samples-key", OwnerSample.getClassSchema())).isPositive();
        InMemorySchemaRegistry.dropScope("key-subject");
    }

    @Test
    void withAutoRegisterOffAnUnregisteredSchemaIsRefusedClearly() {
        AvroSerde<OwnerSample> serde = new AvroSerde<>(OwnerSample.class, registry, false);
        assertThatThrownBy(() -> serde.serialize("owner-samples", ExampleRecords.ownerSample()))
                .isInstanceOf(SchemaRegistryException.class)
                .hasMessageContaining("owner-samples-value")
                .extracting(e -> ((SchemaRegistryException) e).errorCode()).isEqualTo(SchemaRegistryException.SUBJECT_NOT_FOUND);

        registry.register("owner-samples-value", OwnerSample.getClassSchema());
        assertThat(serde.deserialize("owner-samples", serde.serialize("owner-samples", ExampleRecords.ownerSample())))
                .isEqualTo(ExampleRecords.ownerSample());
    }

    @Test
    void tooFewBytesAreTruncated() {
        assertReason(new byte[]{0, 0, 0}, WireFormatException.Reason.TRUNCATED, "needs at least 5");
    }

    @Test
    void aWrongMagicByteIsRefused() {
        byte[] json = "{\"ownerId\":\"a\"}".getBytes();
        assertReason(json, WireFormatException.Reason.BAD_MAGIC, "0x7b");
    }

    @Test
    void anUnknownSchemaIdIsRefused() {
        assertReason(new byte[]{0, 0, 0, 0x30, 0x39, 2}, WireFormatException.Reason.UNKNOWN_SCHEMA_ID, "schema id 12345");
    }

    @Test
    void aBodyCutShortIsTruncated() {
        byte[] good = serde(ExampleRecords.ownerSample()).serialize("owner-samples", ExampleRecords.ownerSample());
        assertReason(Arrays.copyOf(good, good.length - 3), WireFormatException.Reason.TRUNCATED, "ends early");
    }

    @Test
    void trailingBytesAreCorrupt() {
        byte[] good = serde(ExampleRecords.ownerSample()).serialize("owner-samples", ExampleRecords.ownerSample());
        assertReason(Arrays.copyOf(good, good.length + 2), WireFormatException.Reason.CORRUPT_BODY, "trailing bytes");
    }

    /** Found by the fuzz suite: a flipped bit that gives an array 2⁴⁰ items made Avro throw what no handler expected. */
    @Test
    void anImpossibleCollectionLengthIsCorrupt() {
        AvroSerde<mycroft.schemas.SampleVectors> serde = new AvroSerde<>(mycroft.schemas.SampleVectors.class, registry, true);
        byte[] good = serde.serialize("sample-vectors", ExampleRecords.sampleVectors());
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.write(good, 0, 5);
        body.writeBytes(new byte[]{2, 'r', 2, 'o', 2}); // requestId "r", ownerId "o", modelVersion 1
        long count = (1L << 40) << 1; // the samples array's block count 2⁴⁰, zig-zag encoded, as a varint
        while ((count & ~0x7FL) != 0) {
            body.write((int) ((count & 0x7F) | 0x80));
            count >>>= 7;
        }
        body.write((int) count);
        assertThatThrownBy(() -> serde.deserialize("sample-vectors", body.toByteArray()))
                .isInstanceOf(WireFormatException.class)
                .extracting(e -> ((WireFormatException) e).reason()).isEqualTo(WireFormatException.Reason.CORRUPT_BODY);
    }

    @Test
    void anotherRecordTypeIsASchemaMismatch() {
        byte[] deadLetter = serde(ExampleRecords.deadLetter()).serialize("owner-samples", ExampleRecords.deadLetter());
        assertReason(deadLetter, WireFormatException.Reason.SCHEMA_MISMATCH, "mycroft.schemas.DeadLetter");
    }

    @Test
    void anOlderWriterSchemaResolvesByDefaults() throws IOException {
        // A writer that predates SubsetUpdate.cancelled: Avro resolution fills in the default.
        Schema old = new Schema.Parser().parse(SubsetUpdate.getClassSchema().toString().replace(",{\"name\":\"cancelled\","
                + "\"type\":\"boolean\",\"doc\":\"True on the final update after the request was cancelled; classes is then empty.\","
                + "\"default\":false}", ""));
        assertThat(old.getField("cancelled")).isNull();
        int oldId = registry.register("subset-updates-value", old);
        SubsetUpdate example = ExampleRecords.subsetUpdate();
        GenericData.Record record = new GenericData.Record(old);
        old.getFields().forEach(field -> record.put(field.name(), example.get(field.name())));

        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(0);
        out.writeBytes(ByteBuffer.allocate(4).putInt(oldId).array());
        BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(out, null);
        new GenericDatumWriter<GenericData.Record>(old, SpecificData.getForClass(SubsetUpdate.class)).write(record, encoder);

        SubsetUpdate read = new AvroSerde<>(SubsetUpdate.class, registry, true).deserialize("subset-updates", out.toByteArray());
        assertThat(read.getCancelled()).isFalse();
        assertThat(read).usingRecursiveComparison().ignoringFields("cancelled").isEqualTo(example);
    }

    @Test
    void topicsCatalogueBindsPrefixAndSerdes() {
        Topics topics = Topics.from(Map.of(SerdeConfig.REGISTRY_URL, "mock://catalogue", Topics.PREFIX, "it-"));
        assertThat(topics.ownerSamples().name()).isEqualTo("it-owner-samples");
        assertThat(topics.ownerSamples().spec().cleanupPolicy()).isEqualTo("delete");
        assertThat(topics.subsetUpdates().spec().cleanupPolicy()).isEqualTo("compact");
        assertThat(Topics.ALL).extracting(TopicSpec::baseName).doesNotHaveDuplicates().hasSize(11);
        DeadLetter letter = ExampleRecords.deadLetter();
        byte[] bytes = topics.deadLetters().valueSerde().serializer().serialize(topics.deadLetters().name(), letter);
        assertThat(topics.deadLetters().valueSerde().deserializer().deserialize(topics.deadLetters().name(), bytes)).isEqualTo(letter);
        InMemorySchemaRegistry.dropScope("catalogue");
    }

    @SuppressWarnings("unchecked")
    private <T extends SpecificRecord> AvroSerde<T> serde(T record) {
        return new AvroSerde<>((Class<T>) record.getClass(), registry, true);
    }

    private void assertReason(byte[] bytes, WireFormatException.Reason reason, String messagePart) {
        AvroSerde<OwnerSample> serde = new AvroSerde<>(OwnerSample.class, registry, true);
        assertThatThrownBy(() -> serde.deserialize("owner-samples", bytes))
                .isInstanceOf(WireFormatException.class)
                .hasMessageContaining(messagePart)
                .extracting(e -> ((WireFormatException) e).reason()).isEqualTo(reason);
    }
}
