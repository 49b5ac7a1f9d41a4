package io.mycroft.processors.math;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class TabularBinningTest {

    private static SampleEmbedding row(String id, float... v) {
        return new SampleEmbedding(id, v);
    }

    @Test
    void quantileBinsFollowTheDefinition() {
        List<SampleEmbedding> hard = new ArrayList<>();
        for (int i = 0; i <= 4; i++) {
            hard.add(row("h" + i, i));
        }
        TabularBinning b = TabularBinning.fit(hard, TabularBinning.Scheme.QUANTILE, 4); // edges 0,1,2,3,4
        float[] xs = {-1, 0, 0.5f, 1, 3.5f, 4, 5};
        long[] expected = {0, 1, 1, 2, 4, 4, 5};
        for (int i = 0; i < xs.length; i++) {
            assertThat(b.bin(new float[] {xs[i]}, "x")[0]).as("x=%s", xs[i]).isEqualTo(expected[i]);
        }
        TabularBinning constant = TabularBinning.fit(List.of(row("h", 2), row("g", 2)), TabularBinning.Scheme.QUANTILE, 4);
        assertThat(new long[] {constant.bin(new float[] {1}, "x")[0], constant.bin(new float[] {2}, "x")[0],
                constant.bin(new float[] {3}, "x")[0]}).containsExactly(0, 1, 2);
    }

    @Test
    void quantileEdgesMatchNumpy() {
        // numpy.quantile([3, -1, 2.5, 7, 0, 2.5], [0, .25, .5, .75, 1]) = [-1, 0.625, 2.5, 2.875, 7]
        List<SampleEmbedding> hard = new ArrayList<>();
        float[] v = {3, -1, 2.5f, 7, 0, 2.5f};
        for (int i = 0; i < v.length; i++) {
            hard.add(row("h" + i, v[i]));
        }
        TabularBinning b = TabularBinning.fit(hard, TabularBinning.Scheme.QUANTILE, 4);
        float[] xs = {-1.1f, -1, 0.6f, 0.625f, 2.49f, 2.5f, 2.875f, 7, 7.1f};
        long[] expected = {0, 1, 1, 2, 2, 3, 4, 4, 5};
        for (int i = 0; i < xs.length; i++) {
            assertThat(b.bin(new float[] {xs[i]}, "x")[0]).as("x=%s", xs[i]).isEqualTo(expected[i]);
        }
    }

    @Test
    void rangeRatioBinsContinueBeyondTheRange() {
        TabularBinning b = TabularBinning.fit(List.of(row("lo", 0), row("hi", 4)), TabularBinning.Scheme.RANGE_RATIO, 4);
        float[] xs = {-1, 0, 0.5f, 3.9f, 4, 5, 10};
        long[] expected = {-1, 0, 0, 3, 3, 5, 10};
        for (int i = 0; i < xs.length; i++) {
            assertThat(b.bin(new float[] {xs[i]}, "x")[0]).as("x=%s", xs[i]).isEqualTo(expected[i]);
        }
        TabularBinning constant = TabularBinning.fit(List.of(row("h", 2)), TabularBinning.Scheme.RANGE_RATIO, 4);
        assertThat(constant.bin(new float[] {1e30f}, "x")[0]).isEqualTo(1);
    }

    @Test
    void binCodesAreEquallyLongAndTheirSquaredDistanceIsFourTimesTheBinGap() {
        Random random = new Random(17);
        List<SampleEmbedding> hard = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            // feature 2 is constant on D_hard, feature 1 has repeated values: merged edges
            hard.add(row("h" + i, (float) random.nextGaussian(), random.nextInt(3), 5f));
        }
        TabularBinning b = TabularBinning.fit(hard, TabularBinning.Scheme.QUANTILE, 4);
        List<float[]> rows = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            rows.add(new float[] {(float) (2 * random.nextGaussian()), random.nextInt(5) - 1, 4 + random.nextInt(3)});
        }
        hard.forEach(h -> rows.add(h.vector()));
        for (float[] x : rows) {
            float[] cx = b.code(x, "x");
            assertThat(cx).hasSize(b.codeDim());
            assertThat(squaredDistance(cx, new float[cx.length])).isEqualTo(b.codeDim());
            for (float[] y : rows) {
                long gap = TabularBinning.distance(b.bin(x, "x"), List.of(b.bin(y, "y")));
                assertThat(squaredDistance(cx, b.code(y, "y"))).isEqualTo(4 * gap);
            }
        }
        assertThatThrownBy(() -> TabularBinning.fit(hard, TabularBinning.Scheme.RANGE_RATIO, 4).code(rows.get(0), "x"))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("QUANTILE");
    }

    private static long squaredDistance(float[] a, float[] b) {
        long sum = 0;
        for (int i = 0; i < a.length; i++) {
            sum += (long) ((a[i] - b[i]) * (a[i] - b[i]));
        }
        return sum;
    }

    @Test
    void distanceIsToTheNearestHardSampleNotPerFeature() {
        // hard (0,9) and (9,0): owner (0,0) matches each feature of some hard sample but is far from both
        List<SampleEmbedding> hard = List.of(row("a", 0, 9), row("b", 9, 0), row("c", 4, 4));
        TabularBinning b = TabularBinning.fit(hard, TabularBinning.Scheme.RANGE_RATIO, 9);
        List<long[]> hb = hard.stream().map(h -> b.bin(h.vector(), h.sampleId())).toList();
        assertThat(TabularBinning.distance(b.bin(new float[] {0, 0}, "o"), hb)).isEqualTo(8);
        assertThat(TabularBinning.distance(b.bin(new float[] {9, 0}, "o"), hb)).isZero();
    }

    /**
     * Obviously-correct twin: duplicates collapsed by comparing rows, edges by the formula, bins by a linear scan,
     * distance and selection by nested loops.
     */
    static List<String> bruteForce(List<SampleEmbedding> hard, List<SampleEmbedding> owner, int bins, int budget,
                                   boolean quantile) {
        int dim = hard.get(0).vector().length;
        record Scored(String id, long d) {
        }
        java.util.Map<String, SampleEmbedding> byContent = new java.util.HashMap<>();
        for (SampleEmbedding o : owner) {
            byContent.merge(java.util.Arrays.toString(o.vector()), o,
                    (x, y) -> x.sampleId().compareTo(y.sampleId()) <= 0 ? x : y);
        }
        List<Scored> scored = new ArrayList<>();
        for (SampleEmbedding o : byContent.values()) {
            long best = Long.MAX_VALUE;
            for (SampleEmbedding h : hard) {
                long sum = 0;
                for (int f = 0; f < dim; f++) {
                    List<Double> vs = new ArrayList<>();
                    for (SampleEmbedding x : hard) {
                        vs.add((double) x.vector()[f]);
                    }
                    vs.sort(null);
                    sum += Math.abs(twinBin(vs, o.vector()[f], bins, quantile) - twinBin(vs, h.vector()[f], bins, quantile));
                }
                best = Math.min(best, sum);
            }
            scored.add(new Scored(o.sampleId(), best));
        }
        scored.sort(Comparator.comparingLong(Scored::d).thenComparing(Scored::id));
        return scored.stream().limit(budget).map(Scored::id).toList();
    }

    static long twinBin(List<Double> sorted, double x, int bins, boolean quantile) {
        double min = sorted.get(0);
        double max = sorted.get(sorted.size() - 1);
        if (!quantile) {
            double w = (max - min) / bins;
            if (w == 0) {
                return (long) Math.signum(x - min);
            }
            long i = (long) Math.floor((x - min) / w);
            return x <= max && i >= bins ? bins - 1 : i;
        }
        TreeSet<Double> edges = new TreeSet<>();
        for (int i = 0; i <= bins; i++) {
            double h = (sorted.size() - 1) * (double) i / bins;
            int lo = (int) h;
            double next = lo + 1 < sorted.size() ? sorted.get(lo + 1) : sorted.get(lo);
            edges.add(sorted.get(lo) + (h - lo) * (next - sorted.get(lo)));
        }
        List<Double> e = new ArrayList<>(edges);
        int m = Math.max(1, e.size() - 1);
        if (x < e.get(0)) {
            return 0;
        }
        if (x > e.get(e.size() - 1)) {
            return m + 1;
        }
        for (int j = 1; j < e.size(); j++) {
            if (e.get(j - 1) <= x && x < e.get(j)) {
                return j;
            }
        }
        return m;
    }

    @Test
    void selectionMatchesBruteForceOnRandomInstances() {
        Random rnd = new Random(17);
        for (int t = 0; t < 1500; t++) {
            int dim = 1 + rnd.nextInt(3);
            int bins = 1 + rnd.nextInt(6);
            boolean quantile = rnd.nextBoolean();
            List<SampleEmbedding> hard = new ArrayList<>();
            for (int i = 0, n = 1 + rnd.nextInt(6); i < n; i++) {
                hard.add(new SampleEmbedding("h" + i, randomRow(rnd, dim)));
            }
            List<SampleEmbedding> owner = new ArrayList<>();
            for (int i = 0, n = rnd.nextInt(15); i < n; i++) {
                float[] row = i > 0 && rnd.nextInt(5) == 0 ? owner.get(rnd.nextInt(i)).vector().clone() : randomRow(rnd, dim);
                owner.add(new SampleEmbedding("s" + (char) ('a' + rnd.nextInt(26)) + i, row));
            }
            int budget = rnd.nextInt(8);
            TabularBinning b = TabularBinning.fit(hard, quantile ? TabularBinning.Scheme.QUANTILE
                    : TabularBinning.Scheme.RANGE_RATIO, bins);
            List<String> ours = b.nearest(hard, owner, budget);
            assertThat(ours).as("instance %d", t).isEqualTo(bruteForce(hard, owner, bins, budget, quantile));

            NeighbourHeap stream = new NeighbourHeap(Math.max(1, budget));
            List<long[]> hb = hard.stream().map(h -> b.bin(h.vector(), h.sampleId())).toList();
            for (int i = owner.size() - 1; i >= 0; i--) {
                SampleEmbedding o = owner.get(i);
                stream.offer(o.sampleId(), TabularBinning.distance(b.bin(o.vector(), "o"), hb), o.contentKey());
            }
            if (budget > 0) {
                assertThat(stream.neighbours()).extracting(Neighbour::sampleId).as("streaming %d", t).isEqualTo(ours);
            }
        }
    }

    @Test
    void badRowsAreRejected() {
        TabularBinning b = TabularBinning.fit(List.of(row("h", 1, 2)), TabularBinning.Scheme.QUANTILE, 3);
        assertThatThrownBy(() -> b.bin(new float[] {1}, "owner sample x")).isInstanceOf(InvalidVectorException.class)
                .hasMessageContaining("owner sample x");
        assertThatThrownBy(() -> b.nearest(List.of(row("h", 1, 2)), List.of(row("n", Float.NaN, 0)), 1))
                .isInstanceOf(InvalidVectorException.class).hasMessageContaining("non-finite");
        assertThatThrownBy(() -> TabularBinning.fit(List.of(row("h", 1), row("g", 1, 2)), TabularBinning.Scheme.QUANTILE, 3))
                .isInstanceOf(InvalidVectorException.class);
    }

    private static float[] randomRow(Random rnd, int dim) {
        float[] v = new float[dim];
        for (int f = 0; f < dim; f++) {
            v[f] = rnd.nextBoolean() ? rnd.nextInt(6) - 1 : (float) (rnd.nextGaussian() * 3);
        }
        return v;
    }
}
