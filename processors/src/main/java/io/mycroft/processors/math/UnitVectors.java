package io.mycroft.processors.math;

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
        double norm = Vectors.norm(v);
        if (!Double.isFinite(norm) || norm == 0) {
            throw unusable(v, dim, kind, sampleId);
        }
        double[] u = new double[dim];
        for (int i = 0; i < dim; i++) {
            u[i] = v[i] / norm;
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

    /** ‖a − b‖₂². */
    public static double squaredDistance(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            double d = a[i] - b[i];
            s += d * d;
        }
        return s;
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
