package io.mycroft.experiments.metrics;

import io.mycroft.schemas.FloatVectors;
import mycroft.schemas.SampleVector;
import mycroft.schemas.SampleVectors;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class NearCopyCensusTest {

    private static SampleVector sample(String id, int label, float... embedding) {
        return new SampleVector(id, label, null, FloatVectors.of(embedding), 0f, null, 0L, null);
    }

    /**
     * a and its rescaled copy b are at cosine 1; c is at cosine 1 − 5e-8 to them (≥ 1 − 1e-6); d is at cosine 0.99 to a
     * but in another class than a, b, c, so it is alone there; the re-sent a counts once.
     */
    @Test
    void countsEachSamplesNearestCosineWithinItsClass() {
        float dy = (float) Math.tan(Math.acos(0.99));
        List<SampleVectors> batches = List.of(
                new SampleVectors("r", "o", 1, List.of(sample("a", 1, 1, 0), sample("b", 1, 3, 0), sample("c", 1, 1, 3.16e-4f))),
                new SampleVectors("r", "o", 1, List.of(sample("a", 1, 1, 0), sample("d", 2, 1, dy), sample("e", 2, 0, 1))));
        NearCopyCensus.Census census = NearCopyCensus.ofEmbeddings(batches);
        assertThat(census.samples()).isEqualTo(5);
        assertThat(census.atLeast()).containsExactly(3, 3, 3, 3, 3);
        assertThat(census.largestCosine()).isCloseTo(1, within(1e-12));
        assertThat(NearCopyCensus.ofGradients(batches).samples()).isZero();
        assertThat(census.describe()).startsWith("5 samples, nearest cosine >= 1-1e-06: 3,");
    }
}
