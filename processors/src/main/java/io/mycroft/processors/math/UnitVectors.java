package io.mycroft.processors.math;

import java.util.List;

/**
 * Directions in double precision for the feature-similarity math (RetrieveTopK, FuncFeat).
 * Embeddings arrive as float32; normalising in double keeps ‖u‖ = 1 to about 1e-16, so for unit vectors
 * cos(a, b) = 1 − ‖a − b‖²/2 holds to that precision and one stored number serves both the L2 ranking and the cosine.
 * Every sum runs left to right over the indices, so equal inputs give bit-identical results.
 */
public final class UnitVectors {
    private UnitVectors() {
    }

    /**
     * Validates {@code v} (dimension {@code dim}, finite entries, non-zero norm) and returns v/‖v‖₂ in double.
     *
     * @throws InvalidVectorException naming {@code what} when {@code v} is unusable
     */
    public static double[] unit(float[] v, int dim, String what) {
        if (v == null) {
            throw new InvalidVectorException(what + " is missing");
        }
        double norm = Vectors.validNorm(v, dim, what);
        if (norm == 0) {
            throw new InvalidVectorException(what + " has zero norm and has no direction to compare");
        }
        double[] u = new double[dim];
        for (int i = 0; i < dim; i++) {
            u[i] = v[i] / norm;
        }
        return u;
    }

    /** ‖a − b‖₂². */
    public static double squaredDistance(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            double d = a[i] - b[i];
            s += d * d;
        }
        return s;
    }

    /**
     * {@code out[j] = squaredDistance(a.get(j), b)} for every j, bit for bit: each sum still runs over the indices in
     * order, but four of them advance in the same pass, so their dependency chains overlap instead of running one
     * after another (a streaming sample is compared with every hard sample of its class).
     */
    public static void squaredDistances(List<double[]> a, double[] b, double[] out) {
        int j = 0;
        for (; j + 4 <= a.size(); j += 4) {
            double[] a0 = a.get(j);
            double[] a1 = a.get(j + 1);
            double[] a2 = a.get(j + 2);
            double[] a3 = a.get(j + 3);
            double s0 = 0;
            double s1 = 0;
            double s2 = 0;
            double s3 = 0;
            for (int i = 0; i < b.length; i++) {
                double d0 = a0[i] - b[i];
                double d1 = a1[i] - b[i];
                double d2 = a2[i] - b[i];
                double d3 = a3[i] - b[i];
                s0 += d0 * d0;
                s1 += d1 * d1;
                s2 += d2 * d2;
                s3 += d3 * d3;
            }
            out[j] = s0;
            out[j + 1] = s1;
            out[j + 2] = s2;
            out[j + 3] = s3;
        }
        for (; j < a.size(); j++) {
            out[j] = squaredDistance(a.get(j), b);
        }
    }

    /** ⟨a, b⟩. */
    public static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }

    /** cos(a, b) of two unit vectors from their squared distance: 1 − ‖a − b‖²/2. */
    public static double cosineFromSquaredDistance(double squaredDistance) {
        return 1 - squaredDistance / 2;
    }
}
