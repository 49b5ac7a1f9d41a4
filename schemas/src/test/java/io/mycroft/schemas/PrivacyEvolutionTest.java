package io.mycroft.schemas;

import mycroft.schemas.HardSetRequest;
import mycroft.schemas.HardSetVectors;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * HardSetRequest and HardSetVectors gained the optional privacy fields (default null): the current schemas read records
 * written before (BACKWARD, what the registry enforces), and the earlier ones read records written now. HardSetVectors then
 * gained the noisy embedding sums of private FEATURE/FUNCFEAT requests (ClassTarget.embeddingSum, PrivacyAccounting's
 * embedding fields, default null), likewise both ways against the schema before them (HardSetVectors-2).
 */
class PrivacyEvolutionTest {

    @Test
    void requestsAndVectorsWithoutPrivacyStillReadBothWays() throws IOException {
        TrustedSchemas.install();
        Schema request = history("HardSetRequest-1.avsc");
        Schema vectors = history("HardSetVectors-1.avsc");
        assertThat(request.getField("privacy")).isNull();
        for (Schema[] pair : new Schema[][]{{HardSetRequest.getClassSchema(), request}, {HardSetVectors.getClassSchema(), vectors}}) {
            assertThat(SchemaCompatibility.checkReaderWriterCompatibility(pair[0], pair[1]).getType()).as(pair[0].getName())
                    .isEqualTo(SchemaCompatibility.SchemaCompatibilityType.COMPATIBLE);
            assertThat(SchemaCompatibility.checkReaderWriterCompatibility(pair[1], pair[0]).getType()).as(pair[0].getName())
                    .isEqualTo(SchemaCompatibility.SchemaCompatibilityType.COMPATIBLE);
        }
    }

    @Test
    void vectorsWithoutEmbeddingSumsStillReadBothWays() throws IOException {
        TrustedSchemas.install();
        Schema before = history("HardSetVectors-2.avsc");
        Schema now = HardSetVectors.getClassSchema();
        Schema classTarget = before.getField("classes").schema().getElementType();
        assertThat(classTarget.getField("embeddingSum")).isNull();
        assertThat(now.getField("classes").schema().getElementType().getField("embeddingSum").defaultVal())
                .isEqualTo(org.apache.avro.JsonProperties.NULL_VALUE);
        assertThat(SchemaCompatibility.checkReaderWriterCompatibility(now, before).getType())
                .isEqualTo(SchemaCompatibility.SchemaCompatibilityType.COMPATIBLE);
        assertThat(SchemaCompatibility.checkReaderWriterCompatibility(before, now).getType())
                .isEqualTo(SchemaCompatibility.SchemaCompatibilityType.COMPATIBLE);
    }

    /** A schema as it was before a change, self-contained (named types expanded), from avro-history/. */
    private Schema history(String name) throws IOException {
        try (InputStream in = getClass().getResourceAsStream("/avro-history/" + name)) {
            return new Schema.Parser().parse(in);
        }
    }
}
