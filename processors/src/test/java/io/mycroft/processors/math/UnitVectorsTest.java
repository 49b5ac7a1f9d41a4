package io.mycroft.processors.math;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class UnitVectorsTest {
    /** The interleaved distances are squaredDistance's own bits, for every count of vectors around the block of four. */
    @Test
    void squaredDistancesEqualsSquaredDistanceBitForBit() {
        Random random = new Random(11);
        for (int dim : new int[] {1, 7, 128}) {
            for (int n = 0; n <= 9; n++) {
                List<double[]> a = new ArrayList<>();
                for (int j = 0; j < n; j++) {
                    a.add(UnitVectors.unit(randomVector(random, dim), dim, "a" + j));
                }
                double[] b = UnitVectors.unit(randomVector(random, dim), dim, "b");
                double[] out = new double[n];
                UnitVectors.squaredDistances(a, b, out);
                for (int j = 0; j < n; j++) {
                    assertThat(Double.doubleToRawLongBits(out[j])).as("dim %d, %d vectors, vector %d", dim, n, j)
                            .isEqualTo(Double.doubleToRawLongBits(UnitVectors.squaredDistance(a.get(j), b)));
                }
            }
        }
    }

    private static float[] randomVector(Random random, int dim) {
        float[] v = new float[dim];
        for (int i = 0; i < dim; i++) {
            v[i] = (float) random.nextGaussian();
        }
        return v;
    }
}
