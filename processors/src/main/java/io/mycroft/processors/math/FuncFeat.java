package io.mycroft.processors.math;

import java.util.List;

/**
 * The feature side of FuncFeat (the paper's joint optimisation), for one class c: m_c = the geometric median of the
 * L2-normalised D_hard_c embeddings, and for each candidate i the distance d_i = ‖ê_i − m_c‖₂ of its normalised
 * embedding. The OMP ridge solve adds λ₂·Σ_i (d_i·w_i)² (paper: λ₂ = 2), so far-away samples get small weights.
 *
 * <p>Embeddings are normalised here exactly as in {@link RetrieveTopK}, so both feature methods see the same geometry.
 */
public final class FuncFeat {
    /** The paper's λ₂. */
    public static final double DEFAULT_LAMBDA2 = 2.0;

    private final double[] median;

    private FuncFeat(double[] median) {
        this.median = median;
    }

    /**
     * Fits m_c on the D_hard_c embeddings.
     *
     * @throws InvalidVectorException   for a wrong dimension, NaN/Inf or zero norm
     * @throws IllegalArgumentException if {@code hard} is empty
     */
    public static FuncFeat fit(List<SampleEmbedding> hard) {
        return new FuncFeat(GeometricMedian.of(RetrieveTopK.hardUnits(hard)));
    }

    /**
     * FuncFeat around a given centre instead of the geometric median: a differentially private request shares no hard
     * embedding, only the noisy mean of the clipped unit embeddings ({@link RetrieveCentroidTopK#centroid}), which
     * takes m_c's place.
     *
     * @throws InvalidVectorException for a NaN/Inf entry
     */
    public static FuncFeat around(double[] centre) {
        for (double v : centre) {
            if (!Double.isFinite(v)) {
                throw new InvalidVectorException("FuncFeat centre has a non-finite entry");
            }
        }
        return new FuncFeat(centre.clone());
    }

    /** m_c (a copy). */
    public double[] median() {
        return median.clone();
    }

    /**
     * d_i = ‖ê_i − m_c‖₂.
     *
     * @throws InvalidVectorException for a wrong dimension, NaN/Inf or zero norm
     */
    public double distance(SampleEmbedding candidate) {
        double[] u = UnitVectors.unit(candidate.vector(), median.length, "candidate", candidate.sampleId());
        return Math.sqrt(UnitVectors.squaredDistance(u, median));
    }

    /** d_i for each candidate, in order. */
    public double[] distances(List<SampleEmbedding> candidates) {
        double[] ds = new double[candidates.size()];
        for (int i = 0; i < ds.length; i++) {
            ds[i] = distance(candidates.get(i));
        }
        return ds;
    }
}
