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
        require(epsilon > 0 && Double.isFinite(epsilon), "epsilon must be finite and > 0, was " + epsilon);
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
