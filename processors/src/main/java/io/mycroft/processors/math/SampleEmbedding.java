package io.mycroft.processors.math;

import java.util.Objects;

/**
 * One sample's vector (an embedding, a gradient or a tabular feature row) under its sample id. The id identifies the
 * vector: offering the same id twice must mean the same vector.
 */
public record SampleEmbedding(String sampleId, float[] vector) {
    public SampleEmbedding {
        Objects.requireNonNull(sampleId, "sampleId");
        Objects.requireNonNull(vector, "vector");
    }
}
