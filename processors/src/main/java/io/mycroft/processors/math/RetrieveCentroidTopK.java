package io.mycroft.processors.math;

import java.util.List;

/**
 * RetrieveCentroidTopK: the feature-similarity selection of a differentially private request, for one class c of one
 * owner. A private request cannot let owners' samples be matched against each hard sample (RetrieveTopK): every hard
 * embedding is one person's data. It shares per class only the noisy sum of its clipped unit embeddings and the public
 * count n_c = |D_hard_c|:
 * <pre>
 *   s̃_c  = Σ_{h ∈ D_hard_c} clip_C(ê_h) + N(0, σ_e² I)        clip_C(v) = v · min(1, C/‖v‖), ê = e/‖e‖
 *   m̃_c  = s̃_c / n_c                                           the noisy class centroid
 *   cos(o) = ⟨ê_o, m̃_c⟩ / ‖m̃_c‖                               for each owner sample o of class c
 *   D_useful_c = the min(B_c, n_o) owner samples with the largest cos(o), ties by sampleId ascending
 *   coverage_c = (1/B_c) · Σ_{o ∈ D_useful_c} cos(o)               (a missing sample counts as cosine 0)
 * </pre>
 * (n_o the owner's distinct samples of class c). This is {@link RetrieveTopK} with the single query m̃_c and k = B_c:
 * with one nearest-first list, κ* = B_c, U(κ*) is the B_c nearest, the order by squared distance 2 − 2·cos is the order
 * by cos, and RetrieveTopK's coverage over the k = B_c nearest is coverage_c. So the duplicate rule, the cut and the
 * streaming form ({@link RetrieveTopKStream}, one heap of capacity B_c: streamed = batch for every arrival order) are
 * RetrieveTopK's. Owner coverage weighs the classes by the public n_c ({@link RetrieveTopK#coverage(List)}; the selection
 * from one query says hardCount 1, the caller weighs it by n_c). The scale
 * 1/n_c does not change cos; FuncFeat uses m̃_c itself as its centre ({@link FuncFeat#around}).
 */
public final class RetrieveCentroidTopK {
    /** The id of the one query per class, as a hard sample id in RetrieveTopK's state. */
    public static final String QUERY_ID = "noisy-centroid";

    private RetrieveCentroidTopK() {
    }

    /** m̃_c = s̃_c / n_c. */
    public static double[] centroid(float[] noisySum, int count) {
        if (count < 1) {
            throw new IllegalArgumentException("a class centroid needs at least one hard sample, had " + count);
        }
        double[] m = new double[noisySum.length];
        for (int i = 0; i < m.length; i++) {
            m[i] = (double) noisySum[i] / count;
        }
        return m;
    }

    /** The query RetrieveTopK ranks against: the noisy sum (its direction is m̃_c's). */
    public static SampleEmbedding query(float[] noisySum) {
        return new SampleEmbedding(QUERY_ID, noisySum);
    }

    /** Batch selection of class c: D_useful_c (sorted by sampleId), κ* = B_c and coverage_c. */
    public static RetrieveTopK.Selection batch(int budget, float[] noisySum, List<SampleEmbedding> owner) {
        return RetrieveTopK.batch(budget, budget, List.of(query(noisySum)), owner);
    }

    /** Empty streaming state of class c: one heap of capacity B_c. */
    public static RetrieveTopKStream start(int budget, float[] noisySum) {
        return RetrieveTopKStream.start(budget, budget, List.of(query(noisySum)));
    }
}
