package io.mycroft.processors.math;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LabelConsistencyTest {

    @Test
    void excludesOnlyWhenTheModelAndMostHardNeighboursDisagree() {
        List<SampleEmbedding> hard = List.of(new SampleEmbedding("h0", new float[]{1, 0}),
                new SampleEmbedding("h1", new float[]{0.9f, 0.1f}), new SampleEmbedding("h2", new float[]{0, 1}));
        LabelConsistency rule = LabelConsistency.of(2, hard, List.of(0, 0, 1));
        float[] nearClassZero = {1, 0.05f};
        assertThat(rule.excludes(1, 0, nearClassZero)).as("model and both neighbours say 0").isTrue();
        assertThat(rule.excludes(0, 1, nearClassZero)).as("the neighbours agree with the label").isFalse();
        assertThat(rule.excludes(1, 1, nearClassZero)).as("the model agrees with the label").isFalse();
        assertThat(rule.excludes(1, null, nearClassZero)).as("no prediction sent").isFalse();
    }

    @Test
    void halfTheNeighboursAgreeingKeepsTheSample() {
        List<SampleEmbedding> hard = List.of(new SampleEmbedding("a", new float[]{1, 0}), new SampleEmbedding("b", new float[]{0, 1}));
        LabelConsistency rule = LabelConsistency.of(2, hard, List.of(0, 1));
        assertThat(rule.excludes(1, 0, new float[]{1, 0.2f})).isFalse();
        assertThat(LabelConsistency.of(1, hard, List.of(0, 1)).excludes(1, 0, new float[]{1, 0.2f})).isTrue();
    }

    @Test
    void equalDistancesAreBrokenBySmallestHardSampleId() {
        // Both hard samples are the same direction: the k = 1 neighbour is "a" whatever the input order.
        List<SampleEmbedding> hard = List.of(new SampleEmbedding("b", new float[]{2, 0}), new SampleEmbedding("a", new float[]{1, 0}));
        LabelConsistency rule = LabelConsistency.of(1, hard, List.of(1, 0));
        assertThat(rule.agreeingNeighbours(0, new float[]{3, 1})).isEqualTo(1);
        assertThat(rule.agreeingNeighbours(1, new float[]{3, 1})).isZero();
    }

    @Test
    void refusesNoNeighboursAndMismatchedLabels() {
        List<SampleEmbedding> hard = List.of(new SampleEmbedding("a", new float[]{1}));
        assertThatThrownBy(() -> LabelConsistency.of(0, hard, List.of(0))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> LabelConsistency.of(1, hard, List.of())).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> LabelConsistency.of(1, List.of(new SampleEmbedding("z", new float[]{0})), List.of(0)))
                .isInstanceOf(InvalidVectorException.class);
    }

    /** Against a brute force: sort every hard sample by (distance, id), take the first min(k, n), count agreement. */
    @Test
    void matchesBruteForceOnRandomInstances() {
        int excluded = 0;
        int kept = 0;
        for (long seed = 0; seed < 400; seed++) {
            Random rnd = new Random(seed);
            int dim = 1 + rnd.nextInt(6);
            int classes = 2 + rnd.nextInt(3);
            int n = 1 + rnd.nextInt(12);
            List<SampleEmbedding> hard = new ArrayList<>();
            List<Integer> labels = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                // Coarse values so that equal distances (and ties) occur.
                hard.add(new SampleEmbedding("h" + rnd.nextInt(1000) + "-" + i, coarse(rnd, dim)));
                labels.add(rnd.nextInt(classes));
            }
            int k = 1 + rnd.nextInt(n + 2);
            LabelConsistency rule = LabelConsistency.of(k, hard, labels);
            for (int s = 0; s < 20; s++) {
                float[] e = coarse(rnd, dim);
                int label = rnd.nextInt(classes);
                Integer predicted = rnd.nextInt(4) == 0 ? null : rnd.nextInt(classes);
                boolean expected = predicted != null && predicted != label && 2 * bruteAgree(hard, labels, k, label, e) < Math.min(k, n);
                assertThat(rule.excludes(label, predicted, e)).as("seed %d sample %d", seed, s).isEqualTo(expected);
                excluded += expected ? 1 : 0;
                kept += expected ? 0 : 1;
            }
        }
        assertThat(excluded).as("the instances exercise both outcomes").isGreaterThan(500);
        assertThat(kept).isGreaterThan(500);
    }

    private static int bruteAgree(List<SampleEmbedding> hard, List<Integer> labels, int k, int label, float[] e) {
        record Scored(double distance, String id, int label) {
        }
        float[] unit = Vectors.normalized(e, "e");
        List<Scored> scored = new ArrayList<>();
        for (int i = 0; i < hard.size(); i++) {
            float[] h = Vectors.normalized(hard.get(i).vector(), "h");
            double d = 0;
            for (int j = 0; j < h.length; j++) {
                d += ((double) h[j] - unit[j]) * ((double) h[j] - unit[j]);
            }
            scored.add(new Scored(d, hard.get(i).sampleId(), labels.get(i)));
        }
        scored.sort(Comparator.comparingDouble(Scored::distance).thenComparing(Scored::id));
        return (int) scored.subList(0, Math.min(k, scored.size())).stream().filter(s -> s.label() == label).count();
    }

    private static float[] coarse(Random rnd, int dim) {
        float[] v = new float[dim];
        while (Vectors.norm(v) == 0) {
            for (int i = 0; i < dim; i++) {
                v[i] = rnd.nextInt(5) - 2;
            }
        }
        return v;
    }
}
