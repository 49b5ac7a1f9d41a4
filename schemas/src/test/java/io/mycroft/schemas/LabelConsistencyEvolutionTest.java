package io.mycroft.schemas;

import mycroft.schemas.HardSetRequest;
import mycroft.schemas.HardSetVectors;
import mycroft.schemas.SampleVectors;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * SampleVector gained {@code predictedLabel} and SelectionOptions {@code labelConsistencyNeighbours}, both null by
 * default: records written before (the {@code *-1.avsc} schemas, as of the commit before the change) read with label
 * consistency off, in both directions of compatibility (the registry enforces BACKWARD; old readers of new records work too).
 */
class LabelConsistencyEvolutionTest {

    @Test
    void theChangedSchemasAreCompatibleBothWaysWithTheirPredecessors() throws Exception {
        TrustedSchemas.install();
        for (var pair : new Object[][]{{"SampleVectors-1.avsc", SampleVectors.getClassSchema()},
                {"HardSetRequest-1.avsc", HardSetRequest.getClassSchema()}, {"HardSetVectors-1.avsc", HardSetVectors.getClassSchema()}}) {
            Schema old = history((String) pair[0]);
            Schema current = (Schema) pair[1];
            assertThat(SchemaCompatibility.checkReaderWriterCompatibility(current, old).getType()).as("%s backward", pair[0])
                    .isEqualTo(SchemaCompatibility.SchemaCompatibilityType.COMPATIBLE);
            assertThat(SchemaCompatibility.checkReaderWriterCompatibility(old, current).getType()).as("%s forward", pair[0])
                    .isEqualTo(SchemaCompatibility.SchemaCompatibilityType.COMPATIBLE);
        }
    }

    @Test
    void recordsWrittenBeforeReadWithLabelConsistencyOff() throws Exception {
        TrustedSchemas.install();
        SampleVectors vectors = readAsCurrent(history("SampleVectors-1.avsc"), ExampleRecords.sampleVectors(), SampleVectors.class);
        assertThat(vectors.getSamples().get(0).getPredictedLabel()).isNull();
        assertThat(vectors.getSamples().get(0).getLabel()).isEqualTo(3);
        HardSetRequest request = readAsCurrent(history("HardSetRequest-1.avsc"), ExampleRecords.request(), HardSetRequest.class);
        assertThat(request.getOptions().getLabelConsistencyNeighbours()).isNull();
        assertThat(request.getOptions().getRidgeLambda()).isEqualTo(0.5);
    }

    private Schema history(String name) throws IOException {
        try (InputStream in = getClass().getResourceAsStream("/avro-history/" + name)) {
            return new Schema.Parser().parse(in);
        }
    }

    /** Writes {@code example} as the old schema would have (dropping the new fields), then reads it with the current one. */
    private static <T extends SpecificRecord> T readAsCurrent(Schema old, T example, Class<T> type) throws IOException {
        ByteArrayOutputStream current = new ByteArrayOutputStream();
        BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(current, null);
        new SpecificDatumWriter<T>(example.getSchema()).write(example, encoder);
        encoder.flush();
        GenericRecord asOld = new GenericDatumReader<GenericRecord>(example.getSchema(), old, GenericData.get())
                .read(null, DecoderFactory.get().binaryDecoder(current.toByteArray(), null));
        ByteArrayOutputStream written = new ByteArrayOutputStream();
        encoder = EncoderFactory.get().binaryEncoder(written, null);
        new GenericDatumWriter<GenericRecord>(old).write(asOld, encoder);
        encoder.flush();
        return new SpecificDatumReader<T>(old, example.getSchema(), SpecificData.getForClass(type))
                .read(null, DecoderFactory.get().binaryDecoder(written.toByteArray(), null));
    }
}
