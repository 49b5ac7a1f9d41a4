package io.mycroft.processors.math;

import java.util.Arrays;
import java.util.List;

/**
 * Directions in double precision for the feature-similarity math (RetrieveTopK, FuncFeat).
 * Embeddings arrive as float32; normalising in double keeps ‖u‖ = 1 to about 1e-16, so for unit vectors
 * cos(a, b) = 1 − ‖a − b‖²/2 holds to that precision and one stored number serves both the L2 ranking and the cosine.
 * Every sum runs left to right over the indices, so equal inputs give bit-identical results.
 */
public final class UnitVectors {
    /** How many entries {@link #squaredDistancesWithin} adds to each sum between two comparisons with its bound. */
    private static final int BLOCK = 16;

    private UnitVectors() {
    }

    /**
     * Validates {@code v} (dimension {@code dim}, finite entries, non-zero norm) and returns v/‖v‖₂ in double.
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
        double norm = norm(v, dim, kind, sampleId);
        double[] u = new double[dim];
        divide(v, norm, u, 0, dim);
        return u;
    }

    /**
     * ‖v‖₂ of a usable {@code v}: checked as {@link #unit(float[], int, String, String)} checks it.
     *
     * @throws InvalidVectorException naming the sample when {@code v} is unusable
     */
    public static double norm(float[] v, int dim, String kind, String sampleId) {
        if (v == null || v.length != dim) {
            throw unusable(v, dim, kind, sampleId);
        }
        double norm = Vectors.norm(v);
        if (!Double.isFinite(norm) || norm == 0) {
            throw unusable(v, dim, kind, sampleId);
        }
        return norm;
    }

    private static InvalidVectorException unusable(float[] v, int dim, String kind, String sampleId) {
        String what = sampleId == null ? kind : kind + " " + sampleId;
        if (v == null) {
            return new InvalidVectorException(what + " is missing");
        }
        Vectors.requireValid(v, dim, what); // throws for a wrong dimension or a non-finite entry
        return new InvalidVectorException(what + " has zero norm and has no direction to compare");
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
     * The squared distances ‖q_h − v/‖v‖‖² from a sample ({@code v}, its {@code norm}) to unit vectors {@code queries},
     * each into {@code out[h]} when it is at most {@code bounds[h]}, else some number above {@code bounds[h]}: the numbers
     * {@link #unit} and {@link #squaredDistance} give, as far as they are within their bounds. The unit vector is
     * computed {@value #BLOCK} entries at a time (into {@code unit}), and each sum runs left to right over the blocks and
     * stops once it exceeds its bound: its terms are non-negative and rounding is monotone, so a partial sum never
     * decreases. A sample farther than every bound (most of them, once the heaps are full) costs part of the work.
     * Four sums are added side by side, each still left to right, so that their additions overlap instead of each
     * waiting on the one before; a sum of the four already above its bound may grow further, which keeps it above.
     */
    public static void squaredDistancesWithin(float[] v, double norm, List<double[]> queries, double[] bounds,
                                              double[] unit, double[] out) {
        int q = queries.size();
        Arrays.fill(out, 0, q, 0.0);
        boolean within = true;
        for (int start = 0; start < v.length && within; start += BLOCK) {
            int end = Math.min(v.length, start + BLOCK);
            divide(v, norm, unit, start, end);
            within = false;
            int h = 0;
            for (; h + 4 <= q; h += 4) {
                if (out[h] > bounds[h] && out[h + 1] > bounds[h + 1] && out[h + 2] > bounds[h + 2] && out[h + 3] > bounds[h + 3]) {
                    continue;
                }
                double[] a0 = queries.get(h);
                double[] a1 = queries.get(h + 1);
                double[] a2 = queries.get(h + 2);
                double[] a3 = queries.get(h + 3);
                double s0 = out[h];
                double s1 = out[h + 1];
                double s2 = out[h + 2];
                double s3 = out[h + 3];
                for (int i = start; i < end; i++) {
                    double u = unit[i];
                    double d0 = a0[i] - u;
                    double d1 = a1[i] - u;
                    double d2 = a2[i] - u;
                    double d3 = a3[i] - u;
                    s0 += d0 * d0;
                    s1 += d1 * d1;
                    s2 += d2 * d2;
                    s3 += d3 * d3;
                }
                out[h] = s0;
                out[h + 1] = s1;
                out[h + 2] = s2;
                out[h + 3] = s3;
                within |= s0 <= bounds[h] || s1 <= bounds[h + 1] || s2 <= bounds[h + 2] || s3 <= bounds[h + 3];
            }
            for (; h < q; h++) {
                double s = out[h];
                if (s > bounds[h]) {
                    continue;
                }
                double[] a = queries.get(h);
                for (int i = start; i < end; i++) {
                    double d = a[i] - unit[i];
                    s += d * d;
                }
                out[h] = s;
                within |= s <= bounds[h];
            }
        }
    }

    /**
     * unit[i] = v[i] / norm for start ≤ i &lt; end, the one division of every unit vector: several lanes at a time when
     * the Vector API is present ({@link UnitVectorsSimd}; the same bits), else one by one.
     */
    static void divide(float[] v, double norm, double[] unit, int start, int end) {
        if (DotKernel.SIMD) {
            UnitVectorsSimd.divide(v, norm, unit, start, end);
            return;
        }
        for (int i = start; i < end; i++) {
            unit[i] = v[i] / norm;
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
