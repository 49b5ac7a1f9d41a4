package io.mycroft.processors.math;

/**
 * Directions in double precision for the feature-similarity math (RetrieveTopK, FuncFeat).
 * Embeddings arrive as float32; normalising in double keeps ‖u‖ = 1 to about 1e-16, so for unit vectors
 * cos(a, b) = 1 − ‖a − b‖²/2 holds to that precision and one stored number serves both the L2 ranking and the cosine.
 *
 * <p>Every sum here (the norm, the squared distance, the dot product) runs over 8 interleaved partial sums
 * s_k = Σ_{i ≡ k (mod 8)} x_i, combined by the fixed tree (s₀ + s₄) + (s₂ + s₆) + ((s₁ + s₅) + (s₃ + s₇)), then the tail
 * (i ≥ 8·⌊n/8⌋) left to right. The order never changes, so equal inputs give bit-identical results on every machine;
 * the 8 independent sums let the processor overlap the additions, where one running sum waits for each in turn (at
 * d = 128, four distances a sample took most of {@code RetrieveTopKStream.offer}'s time).
 */
public final class UnitVectors {
    private UnitVectors() {
    }

    /**
     * Validates {@code v} (dimension {@code dim}, finite entries, non-zero norm) and returns v·(1/‖v‖₂) in double.
     *
     * @throws InvalidVectorException naming {@code what} when {@code v} is unusable
     */
    public static double[] unit(float[] v, int dim, String what) {
        return unit(v, dim, what, null);
    }

    /**
     * {@link #unit(float[], int, String)} for the sample {@code sampleId} of {@code kind} (e.g. "owner sample"): the name
     * is built only when {@code v} is unusable.
     */
    public static double[] unit(float[] v, int dim, String kind, String sampleId) {
        if (v == null || v.length != dim) {
            throw unusable(v, dim, kind, sampleId);
        }
        double norm = Math.sqrt(sumOfSquares(v));
        if (!Double.isFinite(norm) || norm == 0) {
            throw unusable(v, dim, kind, sampleId);
        }
        double inverse = 1 / norm; // one division: a product per entry is several times faster than a quotient
        double[] u = new double[dim];
        for (int i = 0; i < dim; i++) {
            u[i] = v[i] * inverse;
        }
        return u;
    }

    private static InvalidVectorException unusable(float[] v, int dim, String kind, String sampleId) {
        String what = sampleId == null ? kind : kind + " " + sampleId;
        if (v == null) {
            return new InvalidVectorException(what + " is missing");
        }
        Vectors.requireValid(v, dim, what); // throws for a wrong dimension or a non-finite entry
        return new InvalidVectorException(what + " has zero norm and has no direction to compare");
    }

    /** Σ v_i² in double, in the order above. */
    private static double sumOfSquares(float[] v) {
        double s0 = 0, s1 = 0, s2 = 0, s3 = 0, s4 = 0, s5 = 0, s6 = 0, s7 = 0;
        int n = v.length & ~7;
        for (int i = 0; i < n; i += 8) {
            s0 += (double) v[i] * v[i];
            s1 += (double) v[i + 1] * v[i + 1];
            s2 += (double) v[i + 2] * v[i + 2];
            s3 += (double) v[i + 3] * v[i + 3];
            s4 += (double) v[i + 4] * v[i + 4];
            s5 += (double) v[i + 5] * v[i + 5];
            s6 += (double) v[i + 6] * v[i + 6];
            s7 += (double) v[i + 7] * v[i + 7];
        }
        double s = combine(s0, s1, s2, s3, s4, s5, s6, s7);
        for (int i = n; i < v.length; i++) {
            s += (double) v[i] * v[i];
        }
        return s;
    }

    /** ‖a − b‖₂², in the order above. */
    public static double squaredDistance(double[] a, double[] b) {
        double s0 = 0, s1 = 0, s2 = 0, s3 = 0, s4 = 0, s5 = 0, s6 = 0, s7 = 0;
        int n = a.length & ~7;
        for (int i = 0; i < n; i += 8) {
            double d0 = a[i] - b[i];
            double d1 = a[i + 1] - b[i + 1];
            double d2 = a[i + 2] - b[i + 2];
            double d3 = a[i + 3] - b[i + 3];
            double d4 = a[i + 4] - b[i + 4];
            double d5 = a[i + 5] - b[i + 5];
            double d6 = a[i + 6] - b[i + 6];
            double d7 = a[i + 7] - b[i + 7];
            s0 += d0 * d0;
            s1 += d1 * d1;
            s2 += d2 * d2;
            s3 += d3 * d3;
            s4 += d4 * d4;
            s5 += d5 * d5;
            s6 += d6 * d6;
            s7 += d7 * d7;
        }
        double s = combine(s0, s1, s2, s3, s4, s5, s6, s7);
        for (int i = n; i < a.length; i++) {
            double d = a[i] - b[i];
            s += d * d;
        }
        return s;
    }

    /** ⟨a, b⟩, in the order above. */
    public static double dot(double[] a, double[] b) {
        double s0 = 0, s1 = 0, s2 = 0, s3 = 0, s4 = 0, s5 = 0, s6 = 0, s7 = 0;
        int n = a.length & ~7;
        for (int i = 0; i < n; i += 8) {
            s0 += a[i] * b[i];
            s1 += a[i + 1] * b[i + 1];
            s2 += a[i + 2] * b[i + 2];
            s3 += a[i + 3] * b[i + 3];
            s4 += a[i + 4] * b[i + 4];
            s5 += a[i + 5] * b[i + 5];
            s6 += a[i + 6] * b[i + 6];
            s7 += a[i + 7] * b[i + 7];
        }
        double s = combine(s0, s1, s2, s3, s4, s5, s6, s7);
        for (int i = n; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }

    private static double combine(double s0, double s1, double s2, double s3, double s4, double s5, double s6, double s7) {
        return ((s0 + s4) + (s2 + s6)) + ((s1 + s5) + (s3 + s7));
    }

    /** cos(a, b) of two unit vectors from their squared distance: 1 − ‖a − b‖²/2. */
    public static double cosineFromSquaredDistance(double squaredDistance) {
        return 1 - squaredDistance / 2;
    }
}
