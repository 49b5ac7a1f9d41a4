package io.mycroft.processors.math;

import java.util.Arrays;
import java.util.List;

/**
 * Directions in double precision for the feature-similarity math (RetrieveTopK, FuncFeat).
 * Embeddings arrive as float32; normalising in double keeps ‖u‖ = 1 to about 1e-16, so for unit vectors
 * cos(a, b) = 1 − ‖a − b‖²/2 holds to that precision and one stored number serves both the L2 ranking and the cosine.
 *
 * <p>Every sum over a vector's entries runs in {@value #LANES} lanes: entry i is added to lane i mod 4, each lane left
 * to right, and the lanes are added as (l₀ + l₁) + (l₂ + l₃): the lanes' additions overlap, where one sum left to right
 * waits on each addition before it. The order is fixed, so equal inputs give bit-identical results on every machine. (The
 * same lanes as 256-bit vectors of the JDK Vector API measured 4x slower on JDK 17: the lanes carried across the
 * early-stop blocks were not kept in registers.) A unit vector is v · (1/‖v‖), a product per entry instead of a
 * division.
 */
public final class UnitVectors {
    /** The lanes of every sum. */
    public static final int LANES = 4;
    /** How many entries {@link #squaredDistancesWithin} adds to each sum between two comparisons with its bound. */
    private static final int BLOCK = 32;
    /** Below this bound on a squared distance between unit vectors, {@link #squaredDistancesWithin} stops early. */
    private static final double TIGHT_BOUND = 1.0;

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
        double[] u = new double[dim];
        scale(v, 1 / norm(v, dim, kind, sampleId), u);
        return u;
    }

    /** {@code dim} rounded up to whole lanes: the length of the padded vectors {@link #squaredDistancesWithin} takes. */
    public static int padded(int dim) {
        return (dim + LANES - 1) / LANES * LANES;
    }

    /** {@code unit}, zero beyond its length, in an array of {@link #padded} length. */
    public static double[] padded(double[] unit) {
        return Arrays.copyOf(unit, padded(unit.length));
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
        double norm = norm(v);
        if (!Double.isFinite(norm) || norm == 0) {
            throw unusable(v, dim, kind, sampleId);
        }
        return norm;
    }

    /** ‖v‖₂, its squares added in lanes: finite for finite entries (float32 squares are far from double's range). */
    public static double norm(float[] v) {
        double l0 = 0, l1 = 0, l2 = 0, l3 = 0;
        int i = 0;
        for (; i + LANES <= v.length; i += LANES) {
            l0 += (double) v[i] * v[i];
            l1 += (double) v[i + 1] * v[i + 1];
            l2 += (double) v[i + 2] * v[i + 2];
            l3 += (double) v[i + 3] * v[i + 3];
        }
        if (i < v.length) {
            l0 += (double) v[i] * v[i];
        }
        if (i + 1 < v.length) {
            l1 += (double) v[i + 1] * v[i + 1];
        }
        if (i + 2 < v.length) {
            l2 += (double) v[i + 2] * v[i + 2];
        }
        return Math.sqrt(lanes(l0, l1, l2, l3));
    }

    private static InvalidVectorException unusable(float[] v, int dim, String kind, String sampleId) {
        String what = sampleId == null ? kind : kind + " " + sampleId;
        if (v == null) {
            return new InvalidVectorException(what + " is missing");
        }
        Vectors.requireValid(v, dim, what); // throws for a wrong dimension or a non-finite entry
        return new InvalidVectorException(what + " has zero norm and has no direction to compare");
    }

    /** unit[i] = v[i] · inverseNorm for every entry of {@code v}; the rest of {@code unit} is left as it is. */
    static void scale(float[] v, double inverseNorm, double[] unit) {
        for (int i = 0; i < v.length; i++) {
            unit[i] = v[i] * inverseNorm;
        }
    }

    /** ‖a − b‖₂². */
    public static double squaredDistance(double[] a, double[] b) {
        double l0 = 0, l1 = 0, l2 = 0, l3 = 0;
        int i = 0;
        for (; i + LANES <= a.length; i += LANES) {
            double d0 = a[i] - b[i];
            double d1 = a[i + 1] - b[i + 1];
            double d2 = a[i + 2] - b[i + 2];
            double d3 = a[i + 3] - b[i + 3];
            l0 += d0 * d0;
            l1 += d1 * d1;
            l2 += d2 * d2;
            l3 += d3 * d3;
        }
        if (i < a.length) {
            l0 += (a[i] - b[i]) * (a[i] - b[i]);
        }
        if (i + 1 < a.length) {
            l1 += (a[i + 1] - b[i + 1]) * (a[i + 1] - b[i + 1]);
        }
        if (i + 2 < a.length) {
            l2 += (a[i + 2] - b[i + 2]) * (a[i + 2] - b[i + 2]);
        }
        return lanes(l0, l1, l2, l3);
    }

    /**
     * The squared distances ‖q_h − v/‖v‖‖² from a sample ({@code v}, its {@code norm}) to unit vectors {@code queries},
     * each into {@code out[h]} when it is at most {@code bounds[h]}, else some number above {@code bounds[h]}: the numbers
     * {@link #unit} and {@link #squaredDistance} give, as far as they are within their bounds. The queries and {@code unit}
     * (scratch space for the sample's unit vector) are {@link #padded}, zero beyond v's length: a padded entry adds
     * (0 − 0)² = +0 to its lane, which leaves the lane as it was. Queries are taken two at a time. A pair whose bounds are
     * both below {@value #TIGHT_BOUND} stops once both sums exceed their bounds, checked every {@value #BLOCK} entries:
     * the terms are non-negative and rounding is monotone, so neither a lane nor the lanes' total ever decreases. A
     * looser pair is summed to the end unchecked: two unrelated unit vectors are about 2 apart, so its sums would pass
     * their bounds only in the last blocks, and the checks' unpredictable exits cost more than they save (four queries,
     * d = 128: at bounds of 1.3–1.6, 150–165 ns unchecked against 195–220 checked; at 0.8, 148 against 104;
     * load-tests/reports/streams.md, 2026-12-07).
     */
    public static void squaredDistancesWithin(float[] v, double norm, List<double[]> queries, double[] bounds,
                                              double[] unit, double[] out) {
        scale(v, 1 / norm, unit);
        int q = queries.size();
        int h = 0;
        for (; h + 2 <= q; h += 2) {
            boolean tight = bounds[h] < TIGHT_BOUND && bounds[h + 1] < TIGHT_BOUND;
            twoWithin(unit, queries.get(h), queries.get(h + 1), bounds, out, h, tight ? BLOCK : unit.length);
        }
        if (h < q) {
            out[h] = within(unit, queries.get(h), bounds[h], bounds[h] < TIGHT_BOUND ? BLOCK : unit.length);
        }
    }

    /**
     * {@link #squaredDistancesWithin} of two queries (from {@code h}), each in its four lanes, comparing the sums with
     * their bounds every {@code block} entries.
     */
    private static void twoWithin(double[] u, double[] a, double[] b, double[] bounds, double[] out, int h, int block) {
        double a0 = 0, a1 = 0, a2 = 0, a3 = 0, b0 = 0, b1 = 0, b2 = 0, b3 = 0;
        double sa = 0, sb = 0;
        for (int start = 0; start < u.length; start += block) {
            int end = Math.min(u.length, start + block);
            for (int i = start; i < end; i += LANES) {
                double u0 = u[i], u1 = u[i + 1], u2 = u[i + 2], u3 = u[i + 3];
                double x;
                x = a[i] - u0; a0 += x * x; x = a[i + 1] - u1; a1 += x * x; x = a[i + 2] - u2; a2 += x * x; x = a[i + 3] - u3; a3 += x * x;
                x = b[i] - u0; b0 += x * x; x = b[i + 1] - u1; b1 += x * x; x = b[i + 2] - u2; b2 += x * x; x = b[i + 3] - u3; b3 += x * x;
            }
            sa = lanes(a0, a1, a2, a3);
            sb = lanes(b0, b1, b2, b3);
            if (sa > bounds[h] && sb > bounds[h + 1]) {
                break;
            }
        }
        out[h] = sa;
        out[h + 1] = sb;
    }

    /** {@link #squaredDistancesWithin} of one query, comparing the sum with its bound every {@code block} entries. */
    private static double within(double[] u, double[] a, double bound, int block) {
        double l0 = 0, l1 = 0, l2 = 0, l3 = 0;
        double s = 0;
        for (int start = 0; start < u.length && s <= bound; start += block) {
            int end = Math.min(u.length, start + block);
            for (int i = start; i < end; i += LANES) {
                double x;
                x = a[i] - u[i]; l0 += x * x; x = a[i + 1] - u[i + 1]; l1 += x * x;
                x = a[i + 2] - u[i + 2]; l2 += x * x; x = a[i + 3] - u[i + 3]; l3 += x * x;
            }
            s = lanes(l0, l1, l2, l3);
        }
        return s;
    }

    /** ⟨a, b⟩. */
    public static double dot(double[] a, double[] b) {
        double l0 = 0, l1 = 0, l2 = 0, l3 = 0;
        int i = 0;
        for (; i + LANES <= a.length; i += LANES) {
            l0 += a[i] * b[i];
            l1 += a[i + 1] * b[i + 1];
            l2 += a[i + 2] * b[i + 2];
            l3 += a[i + 3] * b[i + 3];
        }
        if (i < a.length) {
            l0 += a[i] * b[i];
        }
        if (i + 1 < a.length) {
            l1 += a[i + 1] * b[i + 1];
        }
        if (i + 2 < a.length) {
            l2 += a[i + 2] * b[i + 2];
        }
        return lanes(l0, l1, l2, l3);
    }

    /** The sum of four lanes: (l₀ + l₁) + (l₂ + l₃). */
    private static double lanes(double l0, double l1, double l2, double l3) {
        return (l0 + l1) + (l2 + l3);
    }

    /** cos(a, b) of two unit vectors from their squared distance: 1 − ‖a − b‖²/2. */
    public static double cosineFromSquaredDistance(double squaredDistance) {
        return 1 - squaredDistance / 2;
    }
}
