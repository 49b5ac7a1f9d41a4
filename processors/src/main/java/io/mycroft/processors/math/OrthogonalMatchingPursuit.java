package io.mycroft.processors.math;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Batch OMP in the GradMatch form of the paper's code (DESIGN §3). With r₀ = y, step t picks
 * <pre>  j_t = argmax over unchosen candidates j of s_j,   s_j = ⟨a_j, y⟩ − Σ_{i ∈ T_{t−1}} w_i^{(t−1)}·⟨a_j, a_i⟩ = ⟨a_j, r_{t−1}⟩</pre>
 * (or |s_j|; ties go to the smallest sampleId), then solves the ridge problem
 * <pre>  w^{(t)} = argmin ‖y − A_T·w‖² + λ‖w‖² + λ₂·Σ (d_i·w_i)²  =  (A_TᵀA_T + diag(λ + λ₂·d_i²))⁻¹·A_Tᵀy</pre>
 * through an incrementally grown Cholesky factor ({@link RidgeCholesky}). Non-negative: while some w_i &lt; 0, drop the
 * most negative atom (the first in active order on ties) and re-solve. "Unchosen" means never a winner before, so a
 * dropped atom does not come back and every step consumes one candidate. The run stops at B steps ({@code paperSteps})
 * or B held atoms, at ‖r‖ ≤ ε·‖y‖, or when no unchosen candidate is left ({@link OmpPath#exhausted()}).
 *
 * <p>Differences from the paper's code (CORDS {@code OrthogonalMP_REG_Parallel}), on purpose: the argmax excludes chosen
 * atoms (theirs takes it over all atoms and, depending on the version, stops or stacks a duplicate row when a chosen one
 * wins again), and step 1 is ridge-regularised like every other step (theirs uses ⟨a, r⟩/‖a‖² there).
 *
 * <p>Bit-identity with {@link IncrementalOmp}: the score is always formed as s = ⟨a, y⟩, then s −= w_i·c_i for the
 * active atoms in active order ({@link OmpScoring}), with c_i = ⟨a, a_i⟩ and every dot product from {@link DotKernel};
 * the factor and the weights are pure functions of the ordered active list. So any run resumed from a stored prefix reproduces the batch
 * run exactly.
 */
public final class OrthogonalMatchingPursuit {
    private OrthogonalMatchingPursuit() {
    }

    /**
     * OMP over {@code candidates}: duplicates by feature bytes collapse to the smallest sampleId, and near-copies shadowed
     * by a smaller id ({@link NearCopies#kept}) are left out.
     */
    public static OmpPath solve(double[] y, Collection<Candidate> candidates, OmpOptions options) {
        requireTarget(y);
        return new OmpRun(y, options, NearCopies.kept(unique(candidates, y.length, options))).resume(List.of(), candidates.size());
    }

    /** {@link #solve(double[], Collection, OmpOptions)} for a float32 target. */
    public static OmpPath solve(float[] y, Collection<Candidate> candidates, OmpOptions options) {
        return solve(Vectors.toDouble(y), candidates, options);
    }

    static void requireTarget(double[] y) {
        if (y.length == 0) {
            throw new InvalidVectorException("target y is empty");
        }
        for (int i = 0; i < y.length; i++) {
            if (!Double.isFinite(y[i])) {
                throw new InvalidVectorException("target y has a non-finite entry " + y[i] + " at index " + i);
            }
        }
    }

    /** Throws {@link InvalidVectorException} for a wrong dim, a NaN/Inf entry, or a zero norm when normalising. */
    static void requireCandidate(Candidate c, int dim, OmpOptions options) {
        c.requireValid(dim, "candidate " + c.sampleId());
        if (options.normalize() && c.norm() == 0) {
            throw new InvalidVectorException("candidate " + c.sampleId() + " has zero norm and cannot be normalised");
        }
    }

    /** Validates all, then keeps one candidate per feature bytes (the smallest sampleId). */
    static List<Candidate> unique(Collection<Candidate> candidates, int dim, OmpOptions options) {
        Map<String, Candidate> byId = new HashMap<>();
        for (Candidate c : candidates) {
            requireCandidate(c, dim, options);
            Candidate seen = byId.putIfAbsent(c.sampleId(), c);
            if (seen != null && !seen.sameFeatures(c)) {
                throw new InvalidVectorException("sample " + c.sampleId() + " appears twice with different features");
            }
        }
        Map<Candidate.FeatureKey, Candidate> byFeatures = new HashMap<>();
        for (Candidate c : byId.values()) {
            byFeatures.merge(c.featureKey(), c, (a, b) -> a.sampleId().compareTo(b.sampleId()) <= 0 ? a : b);
        }
        return new ArrayList<>(byFeatures.values());
    }
}
