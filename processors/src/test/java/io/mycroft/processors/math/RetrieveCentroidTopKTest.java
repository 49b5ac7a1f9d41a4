package io.mycroft.processors.math;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class RetrieveCentroidTopKTest {

    /**
     * Brute force, written from the class comment: the cosine of each owner sample with m̃_c = s̃_c / n_c, all sorted
     * (largest first, then sampleId), the first B_c kept, less those with a near-copy of smaller id among them
     * (cosine ≥ 1 − 1e-4, the rule of {@link RetrieveTopK}; common here in 2 dimensions); coverage = their cosines summed
     * over B_c.
     */
    @Test
    void batchAndStreamMatchBruteForceForAnyArrivalOrder() {
        Random rnd = new Random(11);
        for (int t = 0; t < 500; t++) {
            int dim = 2 + rnd.nextInt(5);
            int count = 1 + rnd.nextInt(6);
            float[] noisySum = gaussian(rnd, dim);
            List<SampleEmbedding> owner = new ArrayList<>();
            int n = rnd.nextInt(20);
            for (int i = 0; i < n; i++) {
                owner.add(new SampleEmbedding(String.format("s%02d", i), gaussian(rnd, dim)));
            }
            int budget = 1 + rnd.nextInt(8);

            double[] m = RetrieveCentroidTopK.centroid(noisySum, count);
            double mNorm = Math.sqrt(UnitVectors.dot(m, m));
            List<Object[]> scored = new ArrayList<>();
            for (SampleEmbedding o : owner) {
                double[] u = UnitVectors.unit(o.vector(), dim, "o");
                scored.add(new Object[]{o.sampleId(), UnitVectors.dot(u, m) / mNorm});
            }
            scored.sort(Comparator.<Object[]>comparingDouble(s -> -(double) s[1]).thenComparing(s -> (String) s[0]));
            List<String> expected = new ArrayList<>();
            double coverage = 0;
            List<Object[]> retained = scored.subList(0, Math.min(budget, scored.size()));
            for (Object[] s : retained) {
                float[] v = vectorOf(owner, (String) s[0]);
                if (retained.stream().anyMatch(r -> ((String) r[0]).compareTo((String) s[0]) < 0
                        && OmpInstances.plainCosine(vectorOf(owner, (String) r[0]), v) >= 1 - 1e-4)) {
                    continue;
                }
                expected.add((String) s[0]);
                coverage += (double) s[1];
            }
            coverage /= budget;
            Collections.sort(expected);

            RetrieveTopK.Selection batch = RetrieveCentroidTopK.batch(budget, noisySum, owner);
            assertThat(batch.sampleIds()).as("instance %d", t).isEqualTo(expected);
            assertThat(batch.coverage()).as("instance %d", t).isCloseTo(coverage, within(1e-12));

            for (int order = 0; order < 3; order++) {
                List<SampleEmbedding> shuffled = new ArrayList<>(owner);
                Collections.shuffle(shuffled, rnd);
                RetrieveTopKStream stream = RetrieveCentroidTopK.start(budget, noisySum);
                for (int i = 0; i < shuffled.size(); ) {
                    int j = Math.min(shuffled.size(), i + 1 + rnd.nextInt(4));
                    stream.offer(shuffled.subList(i, j));
                    i = j;
                }
                stream.offer(shuffled); // redelivery is a no-op
                assertThat(stream.selection()).as("instance %d order %d", t, order).isEqualTo(batch);
                java.util.Map<String, float[]> vectors = new java.util.HashMap<>();
                owner.forEach(o -> vectors.put(o.sampleId(), o.vector()));
                RetrieveTopKStream resumed = RetrieveTopKStream.restore(budget, budget,
                        List.of(RetrieveCentroidTopK.query(noisySum)), stream.heaps(), vectors::get);
                assertThat(resumed.selection()).isEqualTo(batch);
            }
        }
    }

    @Test
    void theCentroidIsTheNoisySumOverThePublicCount() {
        assertThat(RetrieveCentroidTopK.centroid(new float[]{3f, -1.5f}, 3)).containsExactly(1.0, -0.5);
        assertThat(FuncFeat.around(RetrieveCentroidTopK.centroid(new float[]{2f, 0f}, 2)).median()).containsExactly(1.0, 0.0);
    }

    private static float[] vectorOf(List<SampleEmbedding> owner, String id) {
        return owner.stream().filter(o -> o.sampleId().equals(id)).findFirst().orElseThrow().vector();
    }

    private static float[] gaussian(Random rnd, int dim) {
        float[] v = new float[dim];
        for (int i = 0; i < dim; i++) {
            v[i] = (float) rnd.nextGaussian();
        }
        return v;
    }
}
