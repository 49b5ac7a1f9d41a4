package io.mycroft.schemas;

import mycroft.schemas.OwnerRanking;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * OwnerRanking gained score intervals, the separated order and the settled flag: BACKWARD compatible (what the
 * registry enforces), so a ranking written before reads with the new fields at their defaults.
 */
class OwnerRankingEvolutionTest {

    @Test
    void theCurrentSchemaReadsRankingsWrittenWithTheFirstOne() throws Exception {
        TrustedSchemas.install();
        Schema first;
        try (InputStream in = getClass().getResourceAsStream("/avro-history/OwnerRanking-1.avsc")) {
            first = new Schema.Parser().parse(in);
        }
        assertThat(SchemaCompatibility.checkReaderWriterCompatibility(OwnerRanking.getClassSchema(), first).getType())
                .isEqualTo(SchemaCompatibility.SchemaCompatibilityType.COMPATIBLE);

        Schema ownerSchema = first.getField("owners").schema().getElementType();
        GenericRecord owner = new GenericData.Record(ownerSchema);
        owner.put("ownerId", "a");
        owner.put("rank", 1);
        owner.put("score", 0.5);
        owner.put("subsetSize", 3);
        owner.put("samplesSeen", 9L);
        GenericRecord old = new GenericData.Record(first);
        old.put("requestId", "r1");
        old.put("seq", 4L);
        old.put("owners", List.of(owner));
        old.put("asOf", 1_000L);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(bytes, null);
        new GenericDatumWriter<GenericRecord>(first).write(old, encoder);
        encoder.flush();

        OwnerRanking read = new SpecificDatumReader<OwnerRanking>(first, OwnerRanking.getClassSchema(),
                SpecificData.getForClass(OwnerRanking.class))
                .read(null, DecoderFactory.get().binaryDecoder(bytes.toByteArray(), null));
        assertThat(read.getOwners().get(0).getScoreLow()).isNull();
        assertThat(read.getOwners().get(0).getScoreHigh()).isNull();
        assertThat(read.getSeparatedPairs()).isEmpty();
        assertThat(read.getUpdatesSinceOrderChange()).isZero();
        assertThat(read.getSettled()).isFalse();
        assertThat(read.getSeq()).isEqualTo(4L);
    }
}
