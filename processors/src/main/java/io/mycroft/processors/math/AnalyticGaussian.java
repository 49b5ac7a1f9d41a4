package io.mycroft.processors.math;

import org.apache.commons.math3.distribution.NormalDistribution;

/**
 * The analytic Gaussian mechanism (Balle &amp; Wang, "Improving the Gaussian Mechanism for Differential Privacy",
 * ICML 2018, Theorem 8): adding N(0, σ²) noise to every coordinate of a query of L2 sensitivity Δ is (ε, δ)-DP exactly
 * when
 * <pre>
 *   δ ≥ Φ(Δ/(2σ) − εσ/Δ) − e^ε · Φ(−Δ/(2σ) − εσ/Δ)
 * </pre>
 * (Φ the standard normal CDF). The right side falls as σ or ε grows, so σ for a given (ε, δ) and ε for a given (σ, δ)
 * are found by bisection. Unlike the classical σ = Δ·√(2 ln(1.25/δ))/ε it holds for every ε &gt; 0 and is tight.
 */
public final class AnalyticGaussian {
    private static final NormalDistribution PHI = new NormalDistribution(null, 0, 1);
    private static final int BISECTIONS = 200;
    /** The largest ε calibrated: e^ε overflows a double just above 709, and the bound would read NaN. */
    public static final double MAX_EPSILON = 700;

    private AnalyticGaussian() {
    }

    /** The smallest δ for which noise σ on a query of sensitivity Δ is (ε, δ)-DP. */
    public static double delta(double epsilon, double sigma, double sensitivity) {
        double a = sensitivity / (2 * sigma);
        double b = epsilon * sigma / sensitivity;
        return Math.max(0, PHI.cumulativeProbability(a - b) - Math.exp(epsilon) * PHI.cumulativeProbability(-a - b));
    }

    /** The smallest σ for which the mechanism is (ε, δ)-DP on a query of sensitivity Δ. */
    public static double sigma(double epsilon, double delta, double sensitivity) {
        require(epsilon > 0 && epsilon <= MAX_EPSILON, "epsilon must be > 0 and ≤ " + MAX_EPSILON + ", was " + epsilon);
        require(delta > 0 && delta < 1, "delta must be in (0, 1), was " + delta);
        require(sensitivity > 0 && Double.isFinite(sensitivity), "sensitivity must be finite and > 0, was " + sensitivity);
        double low = 0;
        double high = sensitivity;
        while (delta(epsilon, high, sensitivity) > delta) {
            low = high;
            high *= 2;
        }
        for (int i = 0; i < BISECTIONS && high - low > 1e-12 * high; i++) {
            double mid = (low + high) / 2;
            if (delta(epsilon, mid, sensitivity) > delta) {
                low = mid;
            } else {
                high = mid;
            }
        }
        return high; // the side that satisfies the bound
    }

    /**
     * The noise of each of n queries of the same input released together, query i of L2 sensitivity Δ_i, so that the
     * joint release is (ε, δ)-DP, the budget split so that every query gets the same noise-to-sensitivity ratio:
     * σ_i = Δ_i · σ(ε, δ, √n). Why this holds: adding N(0, σ_i²) to query i is the Gaussian mechanism with unit noise on
     * the concatenation (q_1/σ_1, …, q_n/σ_n), whose L2 sensitivity is √Σ(Δ_i/σ_i)² (one hard sample moves every query
     * at once), and Theorem 8 of Balle &amp; Wang holds for it; this is the composition theorem of Gaussian differential
     * privacy (Dong, Roth &amp; Su 2022, Corollary 3.3: μ-GDP mechanisms compose to √Σμ_i²-GDP) with no loss, tighter than
     * basic composition (each query at ε/n, δ/n). σ(ε, δ, Δ) = Δ·σ(ε, δ, 1), since δ depends on σ/Δ only. For n = 1
     * this is {@link #sigma}.
     */
    public static double[] jointSigmas(double epsilon, double delta, double... sensitivities) {
        require(sensitivities.length > 0, "no query to release");
        if (sensitivities.length == 1) {
            return new double[]{sigma(epsilon, delta, sensitivities[0])};
        }
        double ratio = sigma(epsilon, delta, Math.sqrt(sensitivities.length));
        double[] sigmas = new double[sensitivities.length];
        for (int i = 0; i < sigmas.length; i++) {
            require(sensitivities[i] > 0 && Double.isFinite(sensitivities[i]), "sensitivity must be finite and > 0, was " + sensitivities[i]);
            sigmas[i] = sensitivities[i] * ratio;
        }
        return sigmas;
    }

    /**
     * The smallest δ for which releasing the queries of sensitivities Δ_i with noise σ_i together is (ε, δ)-DP: the
     * analytic bound at unit noise and sensitivity √Σ(Δ_i/σ_i)² (see {@link #jointSigmas}).
     */
    public static double jointDelta(double epsilon, double[] sigmas, double[] sensitivities) {
        double s = 0;
        for (int i = 0; i < sigmas.length; i++) {
            s += (sensitivities[i] / sigmas[i]) * (sensitivities[i] / sigmas[i]);
        }
        return delta(epsilon, 1, Math.sqrt(s));
    }

    /** The smallest ε for which noise σ on a query of sensitivity Δ is (ε, δ)-DP. */
    public static double epsilon(double sigma, double delta, double sensitivity) {
        require(sigma > 0 && Double.isFinite(sigma), "sigma must be finite and > 0, was " + sigma);
        require(delta > 0 && delta < 1, "delta must be in (0, 1), was " + delta);
        double low = 0;
        double high = 1;
        while (delta(high, sigma, sensitivity) > delta) {
            low = high;
            high *= 2;
        }
        for (int i = 0; i < BISECTIONS && high - low > 1e-12 * high; i++) {
            double mid = (low + high) / 2;
            if (delta(mid, sigma, sensitivity) > delta) {
                low = mid;
            } else {
                high = mid;
            }
        }
        return high;
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }
}
