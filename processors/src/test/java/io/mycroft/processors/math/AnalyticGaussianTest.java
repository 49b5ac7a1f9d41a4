package io.mycroft.processors.math;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class AnalyticGaussianTest {

    /**
     * By hand, σ = Δ = ε = 1: δ = Φ(1/2 − 1) − e·Φ(−1/2 − 1) = Φ(−0.5) − e·Φ(−1.5)
     * = 0.3085375387 − 2.7182818285 × 0.0668072013 = 0.3085375387 − 0.1816008012 = 0.1269367375.
     */
    @Test
    void deltaMatchesAHandComputedCase() {
        assertThat(AnalyticGaussian.delta(1, 1, 1)).isCloseTo(0.1269367375, within(1e-9));
        // Only σ/Δ matters.
        assertThat(AnalyticGaussian.delta(1, 2, 2)).isCloseTo(0.1269367375, within(1e-9));
    }

    /**
     * FUNCFEAT releases gradient sums (Δ_g = 2C) and embedding sums (Δ_e = 2·min(C, 1)) of the same hard set. By hand,
     * C = 1 (Δ_g = Δ_e = 2), ε = 1, δ = 0.1269367375 (the case above, σ/Δ = 1 for one query): the joint mechanism at
     * unit noise has sensitivity √((2/σ_g)² + (2/σ_e)²), which must be 1, so with equal ratios σ_g = σ_e = 2√2 =
     * 2.8284271247. Basic composition (each at ε/2, δ/2) would need more noise on both.
     */
    @Test
    void jointReleaseMatchesAHandComputedCase() {
        double[] sigmas = AnalyticGaussian.jointSigmas(1, 0.1269367375, 2, 2);
        assertThat(sigmas[0]).isCloseTo(2.8284271247, within(1e-8));
        assertThat(sigmas[1]).isCloseTo(2.8284271247, within(1e-8));
        assertThat(AnalyticGaussian.jointDelta(1, sigmas, new double[]{2, 2})).isCloseTo(0.1269367375, within(1e-9));
        // Unequal sensitivities keep the ratio: C = 0.5 gives Δ_g = Δ_e = 1, so σ = √2 each.
        double[] half = AnalyticGaussian.jointSigmas(1, 0.1269367375, 1, 1);
        assertThat(half[0]).isCloseTo(Math.sqrt(2), within(1e-8));
        double[] mixed = AnalyticGaussian.jointSigmas(1, 1e-5, 4, 2);
        assertThat(mixed[0] / 4).isCloseTo(mixed[1] / 2, within(1e-12));
        assertThat(AnalyticGaussian.jointDelta(1, mixed, new double[]{4, 2})).isCloseTo(1e-5, within(1e-9));
        double basic = AnalyticGaussian.sigma(0.5, 0.5e-5, 4);
        assertThat(mixed[0]).isLessThan(basic);
        // One query: the single-release calibration, unchanged.
        assertThat(AnalyticGaussian.jointSigmas(4, 1e-5, 2)[0]).isEqualTo(AnalyticGaussian.sigma(4, 1e-5, 2));
    }

    @Test
    void sigmaAndEpsilonInvertDelta() {
        assertThat(AnalyticGaussian.sigma(1, 0.1269367375, 1)).isCloseTo(1.0, within(1e-8));
        assertThat(AnalyticGaussian.epsilon(1, 0.1269367375, 1)).isCloseTo(1.0, within(1e-8));
        for (double epsilon : new double[]{0.1, 0.5, 1, 4, 20}) {
            double sigma = AnalyticGaussian.sigma(epsilon, 1e-5, 2);
            assertThat(AnalyticGaussian.delta(epsilon, sigma, 2)).as("ε " + epsilon).isLessThanOrEqualTo(1e-5)
                    .isCloseTo(1e-5, within(1e-9));
            assertThat(AnalyticGaussian.epsilon(sigma, 1e-5, 2)).isCloseTo(epsilon, within(1e-7 * epsilon));
        }
    }

    /** For ε ≤ 1 the classical calibration σ = Δ√(2 ln(1.25/δ))/ε is valid; the analytic one is never larger. */
    @Test
    void neverNoisierThanTheClassicalGaussianMechanism() {
        for (double epsilon : new double[]{0.1, 0.5, 1}) {
            double classical = 2 * Math.sqrt(2 * Math.log(1.25 / 1e-5)) / epsilon;
            double analytic = AnalyticGaussian.sigma(epsilon, 1e-5, 2);
            assertThat(analytic).isLessThan(classical).isGreaterThan(0.5 * classical);
        }
    }

    @Test
    void refusesParametersWithoutAGuarantee() {
        assertThatThrownBy(() -> AnalyticGaussian.sigma(0, 1e-5, 1)).hasMessageContaining("epsilon");
        assertThatThrownBy(() -> AnalyticGaussian.sigma(Double.POSITIVE_INFINITY, 1e-5, 1)).hasMessageContaining("epsilon");
        assertThatThrownBy(() -> AnalyticGaussian.sigma(710, 1e-5, 1)).hasMessageContaining("epsilon");
        assertThat(AnalyticGaussian.sigma(AnalyticGaussian.MAX_EPSILON, 1e-5, 1)).isPositive().isFinite();
        assertThatThrownBy(() -> AnalyticGaussian.sigma(1, 0, 1)).hasMessageContaining("delta");
        assertThatThrownBy(() -> AnalyticGaussian.sigma(1, 1e-5, 0)).hasMessageContaining("sensitivity");
    }

    @Test
    void targetsAreClippedSumsPlusSeededNoise() {
        int[] labels = {0, 1, 0};
        float[][] g = {{3f, 4f}, {0.3f, 0.4f}, {0f, 0.5f}};
        PrivateClassTargets.Result exact = PrivateClassTargets.of(labels, g, 2, 1.0, 0, 7);
        // (3, 4) has norm 5 > C = 1: clipped to (0.6, 0.8); the others are inside.
        assertThat(exact.clipped()).isEqualTo(1);
        assertThat(exact.targets().get(0)).containsExactly(new double[]{0.6, 1.3}, within(1e-7));
        assertThat(exact.targets().get(1)).containsExactly(new double[]{0.3, 0.4}, within(1e-7));

        PrivateClassTargets.Result noised = PrivateClassTargets.of(labels, g, 2, 1.0, 0.5, 7);
        java.util.Random same = new java.util.Random(7);
        double[] expected0 = {0.6 + 0.5 * same.nextGaussian(), 1.3 + 0.5 * same.nextGaussian()};
        double[] expected1 = {0.3 + 0.5 * same.nextGaussian(), 0.4 + 0.5 * same.nextGaussian()};
        assertThat(noised.targets().get(0)).containsExactly(expected0, within(1e-7));
        assertThat(noised.targets().get(1)).containsExactly(expected1, within(1e-7));
        Map<Integer, double[]> again = PrivateClassTargets.of(labels, g, 2, 1.0, 0.5, 7).targets();
        assertThat(again.get(0)).containsExactly(noised.targets().get(0));
        assertThat(PrivateClassTargets.of(labels, g, 2, 1.0, 0.5, 8).targets().get(0)).isNotEqualTo(noised.targets().get(0));
        assertThat(PrivateClassTargets.sensitivity(1.5)).isEqualTo(3.0);
    }
}
