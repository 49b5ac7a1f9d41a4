package io.mycroft.processors.math;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.data.Offset.offset;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class GeometricMedianTest {

    /** Brute-force minimiser: a grid over the bounding box, then shrinking random search around the best point. */
    static double bruteForceMinimum(List<double[]> pts, Random rnd) {
        int dim = pts.get(0).length;
        double[] lo = new double[dim];
        double[] hi = new double[dim];
        java.util.Arrays.fill(lo, Double.MAX_VALUE);
        java.util.Arrays.fill(hi, -Double.MAX_VALUE);
        for (double[] p : pts) {
            for (int j = 0; j < dim; j++) {
                lo[j] = Math.min(lo[j], p[j]);
                hi[j] = Math.max(hi[j], p[j]);
            }
        }
        double[] best = pts.get(0).clone();
        double bestF = GeometricMedian.objective(pts, best);
        int steps = dim == 2 ? 60 : 20;
        int cells = (int) Math.pow(steps + 1, dim);
        for (int c = 0; c < cells; c++) {
            double[] y = new double[dim];
            int rest = c;
            for (int j = 0; j < dim; j++) {
                y[j] = lo[j] + (hi[j] - lo[j]) * (rest % (steps + 1)) / steps;
                rest /= steps + 1;
            }
            double f = GeometricMedian.objective(pts, y);
            if (f < bestF) {
                bestF = f;
                best = y;
            }
        }
        for (double radius = 0.1; radius > 1e-9; radius /= 2) {
            for (int t = 0; t < 200; t++) {
                double[] y = best.clone();
                for (int j = 0; j < dim; j++) {
                    y[j] += radius * (2 * rnd.nextDouble() - 1);
                }
                double f = GeometricMedian.objective(pts, y);
                if (f < bestF) {
                    bestF = f;
                    best = y;
                }
            }
        }
        return bestF;
    }

    @Test
    void reachesTheBruteForceMinimumOnSmallRandomSets() {
        Random rnd = new Random(11);
        for (int t = 0; t < 300; t++) {
            int dim = 2 + rnd.nextInt(2);
            List<double[]> pts = new ArrayList<>();
            int n = 1 + rnd.nextInt(7);
            for (int i = 0; i < n; i++) {
                double[] p = new double[dim];
                for (int j = 0; j < dim; j++) {
                    p[j] = rnd.nextInt(3) == 0 ? rnd.nextInt(3) : rnd.nextGaussian();
                }
                pts.add(p);
                if (rnd.nextInt(4) == 0) {
                    pts.add(p.clone()); // coincident points
                }
            }
            double ours = GeometricMedian.objective(pts, GeometricMedian.of(pts));
            assertThat(ours).as("set %d", t).isLessThanOrEqualTo(bruteForceMinimum(pts, rnd) + 1e-7);
        }
    }

    @Test
    void aDataPointHoldingHalfTheMassIsTheMedian() {
        // Plain Weiszfeld divides by zero once it reaches (0,0); the Vardi–Zhang step stops there.
        double[] heavy = {0, 0};
        List<double[]> pts = List.of(heavy, heavy, heavy, new double[] {1, 0}, new double[] {0, 1},
                new double[] {-1, 0.5});
        assertThat(GeometricMedian.of(pts)).containsExactly(new double[] {0, 0}, offset(1e-9));
    }

    @Test
    void collinearPointsGiveTheMiddleOne() {
        List<double[]> pts = List.of(new double[] {0, 0}, new double[] {1, 1}, new double[] {5, 5});
        assertThat(GeometricMedian.of(pts)).containsExactly(new double[] {1, 1}, offset(1e-9));
    }

    @Test
    void identicalPointsAreTheirOwnMedianAndEmptyIsRejected() {
        assertThat(GeometricMedian.of(List.of(new double[] {2, 3}, new double[] {2, 3})))
                .containsExactly(2, 3);
        assertThatThrownBy(() -> GeometricMedian.of(List.of())).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void funcFeatDistancesAreToTheMedianOfTheNormalisedHardEmbeddings() {
        FuncFeat ff = FuncFeat.fit(List.of(new SampleEmbedding("h1", new float[] {2, 0}),
                new SampleEmbedding("h2", new float[] {0, 3}), new SampleEmbedding("h3", new float[] {5, 0})));
        // normalised: (1,0) twice and (0,1) → the median is (1,0), the majority point
        assertThat(ff.median()).containsExactly(new double[] {1, 0}, offset(1e-9));
        double[] d = ff.distances(List.of(new SampleEmbedding("a", new float[] {7, 0}),
                new SampleEmbedding("b", new float[] {0, 0.5f})));
        assertThat(d).containsExactly(new double[] {0, Math.sqrt(2)}, offset(1e-9));
        assertThatThrownBy(() -> ff.distance(new SampleEmbedding("z", new float[] {0, 0})))
                .isInstanceOf(InvalidVectorException.class).hasMessageContaining("zero norm");
        assertThatThrownBy(() -> ff.distance(new SampleEmbedding("w", new float[] {1, 0, 0})))
                .isInstanceOf(InvalidVectorException.class).hasMessageContaining("dim");
    }
}
