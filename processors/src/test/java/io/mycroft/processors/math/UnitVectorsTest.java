package io.mycroft.processors.math;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class UnitVectorsTest {

    /** The documented order, written out: term i into lane i mod 4, each lane left to right, then (l0 + l1) + (l2 + l3). */
    private static double documentedSum(double[] terms) {
        double[] lanes = new double[4];
        for (int i = 0; i < terms.length; i++) {
            lanes[i % 4] += terms[i];
        }
        return (lanes[0] + lanes[1]) + (lanes[2] + lanes[3]);
    }

    private static double[] randomDoubles(Random rnd, int n) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = rnd.nextGaussian();
        }
        return v;
    }

    @Test
    void everySumRunsInItsFourLanesToTheBit() {
        Random rnd = new Random(3);
        for (int dim = 1; dim <= 40; dim++) {
            double[] a = randomDoubles(rnd, dim);
            double[] b = randomDoubles(rnd, dim);
            float[] f = new float[dim];
            double[] squares = new double[dim];
            double[] differences = new double[dim];
            double[] products = new double[dim];
            for (int i = 0; i < dim; i++) {
                f[i] = (float) rnd.nextGaussian();
                squares[i] = (double) f[i] * f[i];
                differences[i] = (a[i] - b[i]) * (a[i] - b[i]);
                products[i] = a[i] * b[i];
            }
            assertThat(UnitVectors.squaredDistance(a, b)).isEqualTo(documentedSum(differences));
            assertThat(UnitVectors.dot(a, b)).isEqualTo(documentedSum(products));
            double norm = Math.sqrt(documentedSum(squares));
            assertThat(UnitVectors.norm(f)).isEqualTo(norm);
            double[] u = UnitVectors.unit(f, dim, "owner sample", "s1");
            for (int i = 0; i < dim; i++) {
                assertThat(u[i]).isEqualTo(f[i] * (1 / norm));
            }
            assertThat(UnitVectors.dot(u, u)).isCloseTo(1.0, within(1e-15));
        }
    }

    @Test
    void theSumsAreAccurateToAFewUnitsInTheLastPlace() {
        Random rnd = new Random(11);
        double[] a = randomDoubles(rnd, 128);
        double[] b = randomDoubles(rnd, 128);
        BigDecimal exact = BigDecimal.ZERO;
        for (int i = 0; i < 128; i++) {
            BigDecimal d = new BigDecimal(a[i]).subtract(new BigDecimal(b[i]));
            exact = exact.add(d.multiply(d));
        }
        double expected = exact.round(MathContext.DECIMAL64).doubleValue();
        assertThat(UnitVectors.squaredDistance(a, b)).isCloseTo(expected, within(1e-13 * expected));
    }

    @Test
    void anUnusableVectorIsNamedWithItsSample() {
        assertThatThrownBy(() -> UnitVectors.unit(null, 3, "owner sample", "s7"))
                .isInstanceOf(InvalidVectorException.class).hasMessage("owner sample s7 is missing");
        assertThatThrownBy(() -> UnitVectors.unit(new float[2], 3, "owner sample", "s7"))
                .isInstanceOf(InvalidVectorException.class).hasMessageContaining("owner sample s7 has dim 2, expected 3");
        assertThatThrownBy(() -> UnitVectors.unit(new float[] {1, Float.NaN, 0}, 3, "owner sample", "s7"))
                .isInstanceOf(InvalidVectorException.class).hasMessageContaining("owner sample s7 has a non-finite entry");
        assertThatThrownBy(() -> UnitVectors.unit(new float[3], 3, "owner sample", "s7"))
                .isInstanceOf(InvalidVectorException.class).hasMessage("owner sample s7 has zero norm and has no direction to compare");
        assertThatThrownBy(() -> UnitVectors.unit(new float[3], 3, "hard sample h1"))
                .isInstanceOf(InvalidVectorException.class).hasMessageStartingWith("hard sample h1 has zero norm");
    }

    @Test
    void distancesWithinTheirBoundsAreTheFullSumsToTheBitAndTheOthersAreAboveTheirBounds() {
        Random rnd = new Random(5);
        int within = 0;
        int above = 0;
        // Query counts around the four sums added side by side: fewer, a group, a group and some, two groups.
        for (int[] shape : new int[][] {{1, 4}, {15, 1}, {16, 3}, {17, 4}, {37, 5}, {128, 4}, {128, 9}}) {
            int dim = shape[0];
            List<double[]> queries = new ArrayList<>();
            for (int h = 0; h < shape[1]; h++) {
                queries.add(UnitVectors.unit(floats(rnd, dim), dim, "hard sample"));
            }
            List<double[]> padded = queries.stream().map(UnitVectors::padded).toList();
            for (int trial = 0; trial < 500; trial++) {
                float[] v = floats(rnd, dim);
                double[] u = UnitVectors.unit(v, dim, "owner sample");
                double[] bounds = new double[queries.size()];
                double[] exact = new double[queries.size()];
                for (int h = 0; h < queries.size(); h++) {
                    exact[h] = UnitVectors.squaredDistance(queries.get(h), u);
                    // The exact distance itself, just below it, far below it (an early stop), or no bound (a heap not full).
                    bounds[h] = switch (rnd.nextInt(4)) {
                        case 0 -> exact[h];
                        case 1 -> Math.nextDown(exact[h]);
                        case 2 -> exact[h] * rnd.nextDouble();
                        default -> Double.POSITIVE_INFINITY;
                    };
                }
                double[] out = new double[queries.size()];
                UnitVectors.squaredDistancesWithin(v, UnitVectors.norm(v, dim, "owner sample", null), padded, bounds,
                        new double[UnitVectors.padded(dim)], out);
                for (int h = 0; h < queries.size(); h++) {
                    if (exact[h] <= bounds[h]) {
                        assertThat(Double.doubleToRawLongBits(out[h])).isEqualTo(Double.doubleToRawLongBits(exact[h]));
                        within++;
                    } else {
                        assertThat(out[h]).isGreaterThan(bounds[h]);
                        above++;
                    }
                }
            }
        }
        assertThat(within).isGreaterThan(1000);
        assertThat(above).isGreaterThan(1000);
    }

    private static float[] floats(Random rnd, int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) rnd.nextGaussian();
        }
        return v;
    }
}
