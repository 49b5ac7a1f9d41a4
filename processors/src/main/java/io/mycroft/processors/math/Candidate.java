package io.mycroft.processors.math;

import java.util.Objects;

/**
 * One owner sample offered to OMP: its id, its feature vector (a gradient, or an embedding) and its FuncFeat distance
 * d_i to the class's geometric median (0 when FuncFeat is off). Two candidates with the same feature bytes are the
 * same candidate; the smallest sampleId (by {@link String#compareTo}) represents them.
 *
 * <p>The validity check, the duplicate key (a hash over the feature bits) and the norm are computed on first use and kept
 * with the candidate, however many times validation and selection ask for them.
 */
public final class Candidate {
    private final String sampleId;
    private final float[] features;
    private final double penalty;
    private FeatureKey featureKey;
    private double norm = -1;
    /** The dim the features were found valid for (0: not checked yet). */
    private int validDim;

    public Candidate(String sampleId, float[] features, double penalty) {
        if (sampleId == null) {
            throw new IllegalArgumentException("sampleId must be given");
        }
        if (features == null) {
            throw new InvalidVectorException("candidate " + sampleId + " has no features");
        }
        if (!(penalty >= 0) || Double.isInfinite(penalty)) {
            throw new IllegalArgumentException("candidate " + sampleId + " has penalty " + penalty
                    + "; a FuncFeat distance must be finite and >= 0");
        }
        this.sampleId = sampleId;
        this.features = features;
        this.penalty = penalty;
    }

    public Candidate(String sampleId, float[] features) {
        this(sampleId, features, 0);
    }

    public String sampleId() {
        return sampleId;
    }

    /** The feature vector as given (not a copy: callers must not change it). */
    public float[] features() {
        return features;
    }

    public double penalty() {
        return penalty;
    }

    /**
     * Throws {@link InvalidVectorException} naming {@code what} unless the features have {@code dim} finite entries
     * ({@link Vectors#requireValid}); a candidate found valid for {@code dim} is not scanned again.
     */
    public void requireValid(int dim, String what) {
        if (validDim != dim) {
            // ‖v‖ = √Σ v_i² in double is finite exactly when every entry is (a float32 squared is below 1.2e77, so no sum
            // of fewer than 1e231 of them overflows): the norm, needed anyway, is the check, and the scan only runs to
            // name the bad entry.
            if (features.length != dim || !Double.isFinite(norm())) {
                Vectors.requireValid(features, dim, what);
            }
            validDim = dim;
        }
    }

    /** True when both carry exactly the same float32 bits (the "same feature bytes" of DESIGN §3). */
    public boolean sameFeatures(Candidate other) {
        return featureKey().equals(other.featureKey());
    }

    /** A hashable key over the exact float32 bits of the features (a view, not a copy), hashed once. */
    public FeatureKey featureKey() {
        if (featureKey == null) {
            featureKey = new FeatureKey(features);
        }
        return featureKey;
    }

    /** ‖features‖₂ = √⟨x, x⟩ through {@link DotKernel#dot} (its fixed sixteen-lane order, the same bits on every machine), computed once. */
    public double norm() {
        if (norm < 0) {
            norm = Math.sqrt(DotKernel.dot(features, features));
        }
        return norm;
    }

    /**
     * The features scaled to unit L2 norm ({@link Vectors#normalized}), a new array each call: keeping it would hold a
     * second copy of every stored candidate (an OMP run packs its own copy, and arrivals are scored in a scratch array,
     * {@link #unitAtomInto}).
     */
    float[] unitAtom() {
        return Vectors.normalized(features, norm(), "candidate " + sampleId);
    }

    /** {@link #unitAtom()} written into {@code out} (of the features' length), which it returns. */
    float[] unitAtomInto(float[] out) {
        return Vectors.normalizedInto(features, norm(), out, "candidate " + sampleId);
    }

    @Override
    public String toString() {
        return "Candidate[" + sampleId + ", dim " + features.length + ", penalty " + penalty + "]";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Candidate c && c.sampleId.equals(sampleId) && Double.compare(c.penalty, penalty) == 0 && sameFeatures(c);
    }

    @Override
    public int hashCode() {
        return Objects.hash(sampleId, featureKey(), penalty);
    }

    /** Exact float32 bits of a feature vector; equal keys mean duplicate candidates. */
    public static final class FeatureKey {
        private final float[] features;
        private final int hash;

        FeatureKey(float[] features) {
            this.features = features;
            int h = 1;
            for (float f : features) {
                h = 31 * h + Float.floatToRawIntBits(f);
            }
            this.hash = h;
        }

        @Override
        public boolean equals(Object o) {
            if (!(o instanceof FeatureKey k) || k.hash != hash || k.features.length != features.length) {
                return false;
            }
            for (int i = 0; i < features.length; i++) {
                if (Float.floatToRawIntBits(k.features[i]) != Float.floatToRawIntBits(features[i])) {
                    return false;
                }
            }
            return true;
        }

        @Override
        public int hashCode() {
            return hash;
        }
    }
}
