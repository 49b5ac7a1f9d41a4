package io.mycroft.experiments.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;
import org.junit.jupiter.api.Test;

class KendallTauTest {

    @Test
    void matchesScipyKendalltau() {
        // reference values from scipy.stats.kendalltau (τ-b), scipy's own doc example first
        assertThat(KendallTau.tauB(new double[] {12, 2, 1, 12, 2}, new double[] {1, 4, 7, 1, 0}))
                .isCloseTo(-0.4714045207910316, within(1e-15));
        assertThat(KendallTau.tauB(new double[] {1, 2, 2, 3, 4, 4, 5}, new double[] {3, 1, 2, 2, 5, 4, 4}))
                .isCloseTo(0.47368421052631565, within(1e-15));
        assertThat(KendallTau.tauB(new double[] {0.9, 0.8, 0.75, 0.3, 0.3, 0.1}, new double[] {0.7, 0.9, 0.6, 0.2, 0.4, 0.2}))
                .isCloseTo(0.7857142857142858, within(1e-15));
    }

    @Test
    void identicalAndReversedOrders() {
        double[] x = {5, 3, 9, 1};
        assertThat(KendallTau.tauB(x, new double[] {50, 30, 90, 10})).isEqualTo(1.0);
        assertThat(KendallTau.tauB(x, new double[] {-5, -3, -9, -1})).isEqualTo(-1.0);
    }

    /** The sign-product form Σ sgn·sgn / √(Σ sgn² · Σ sgn²), which is τ-b written differently. */
    private static double bruteForce(double[] x, double[] y) {
        double num = 0;
        double sx = 0;
        double sy = 0;
        for (int i = 0; i < x.length; i++) {
            for (int j = 0; j < x.length; j++) {
                if (i == j) {
                    continue;
                }
                double a = Math.signum(x[i] - x[j]);
                double b = Math.signum(y[i] - y[j]);
                num += a * b;
                sx += a * a;
                sy += b * b;
            }
        }
        return num / Math.sqrt(sx * sy);
    }

    @Test
    void agreesWithTheSignProductFormOnRandomTiedData() {
        Random r = new Random(42);
        for (int trial = 0; trial < 200; trial++) {
            int n = 2 + r.nextInt(15);
            double[] x = new double[n];
            double[] y = new double[n];
            for (int i = 0; i < n; i++) {
                x[i] = r.nextInt(4); // few distinct values: many ties
                y[i] = r.nextInt(5);
            }
            if (allEqual(x) || allEqual(y)) {
                continue;
            }
            assertThat(KendallTau.tauB(x, y)).as("trial " + trial).isCloseTo(bruteForce(x, y), within(1e-12));
        }
    }

    private static boolean allEqual(double[] v) {
        for (double d : v) {
            if (d != v[0]) {
                return false;
            }
        }
        return true;
    }

    @Test
    void rejectsUndefinedInputs() {
        assertThatThrownBy(() -> KendallTau.tauB(new double[] {1, 1}, new double[] {1, 2}))
                .hasMessageContaining("undefined");
        assertThatThrownBy(() -> KendallTau.tauB(new double[] {1}, new double[] {1})).hasMessageContaining("at least 2");
        assertThatThrownBy(() -> KendallTau.tauB(new double[] {1, 2}, new double[] {1})).hasMessageContaining("2 items");
        assertThatThrownBy(() -> KendallTau.tauB(new double[] {1, Double.NaN}, new double[] {1, 2}))
                .hasMessageContaining("NaN");
    }
}
