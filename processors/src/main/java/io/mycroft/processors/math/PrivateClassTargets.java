package io.mycroft.processors.math;

import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

/**
 * The per-class targets y_c = Σ_{i ∈ D_hard_c} clip(g_i) + N(0, σ² I): each hard sample's gradient clipped to L2 norm
 * C, summed per class, then Gaussian noise on every coordinate. Replacing one hard sample's features moves one y_c by at
 * most 2C, so the targets of all classes together have L2 sensitivity 2C ({@link #sensitivity}); σ comes from {@link
 * AnalyticGaussian}. The noise is drawn from {@code new Random(seed)}, classes in label order, coordinates in order, so
 * the same inputs and seed give the same targets on every machine.
 */
public final class PrivateClassTargets {
    /** The noised targets by label (ascending) and how many gradients were longer than C. */
    public record Result(Map<Integer, double[]> targets, int clipped) {
    }

    private PrivateClassTargets() {
    }

    /** The L2 sensitivity of the clipped per-class sums for hard sets that differ in one sample's features: 2C. */
    public static double sensitivity(double clipNorm) {
        return 2 * clipNorm;
    }

    /**
     * @param labels    the class of each hard sample
     * @param gradients each hard sample's gradient, all of length {@code dim}
     * @param clipNorm  C &gt; 0
     * @param sigma     σ ≥ 0, the noise std per coordinate
     */
    public static Result of(int[] labels, float[][] gradients, int dim, double clipNorm, double sigma, long seed) {
        return of(labels, gradients, dim, clipNorm, sigma, new Random(seed));
    }

    /**
     * As {@link #of(int[], float[][], int, double, double, long)}, the noise drawn from {@code noise} (a request that
     * releases gradient and embedding sums draws both from one seeded generator, gradients first).
     */
    public static Result of(int[] labels, float[][] gradients, int dim, double clipNorm, double sigma, Random noise) {
        if (!(clipNorm > 0) || !(sigma >= 0)) {
            throw new IllegalArgumentException("clipNorm must be > 0 and sigma ≥ 0, were " + clipNorm + " and " + sigma);
        }
        Map<Integer, double[]> targets = new TreeMap<>();
        int clipped = 0;
        for (int i = 0; i < labels.length; i++) {
            double norm = Vectors.norm(gradients[i]);
            double scale = norm > clipNorm ? clipNorm / norm : 1.0;
            clipped += norm > clipNorm ? 1 : 0;
            Vectors.axpy(scale, gradients[i], targets.computeIfAbsent(labels[i], l -> new double[dim]));
        }
        for (double[] y : targets.values()) {
            for (int j = 0; j < y.length; j++) {
                y[j] += sigma * noise.nextGaussian();
            }
        }
        return new Result(targets, clipped);
    }
}
