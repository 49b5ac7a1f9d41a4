package io.mycroft.processors.math;

import io.mycroft.processors.math.OmpOptions.Correlation;

/**
 * How an OMP step judges a candidate: its column a (the features, unit-norm when normalising), its score
 * s = ⟨a, r_{t−1}⟩ = ⟨a, y⟩ − Σ w_i·⟨a, a_i⟩ and the argmax order. Batch runs ({@link OmpRun}) and the incremental
 * divergence check ({@link IncrementalOmp}) both take them from here, so both form the same numbers in the same order.
 */
final class OmpScoring {
    private OmpScoring() {
    }

    /** s = ⟨x, y⟩ − Σ w_i·c_i in active order (the one scoring formula; {@link OmpRun} vectorises the same operations). */
    static double score(double xy, double[] w, double[] c, Correlation correlation) {
        double s = xy;
        for (int i = 0; i < w.length; i++) {
            s -= w[i] * c[i];
        }
        return correlation == Correlation.ABSOLUTE ? Math.abs(s) : s;
    }

    /** The argmax order: a higher score wins; an equal score goes to the smaller sampleId. */
    static boolean beats(double score, String id, double bestScore, String bestId) {
        return score > bestScore || (score == bestScore && id.compareTo(bestId) < 0);
    }

    /** The column OMP works with: the features, L2-normalised when {@code normalize}. */
    static float[] atom(Candidate c, OmpOptions options) {
        return options.normalize() ? c.unitAtom() : c.features();
    }

    /** {@link #atom(Candidate, OmpOptions)}, the normalised one written into {@code scratch} (of the features' length). */
    static float[] atom(Candidate c, OmpOptions options, float[] scratch) {
        return options.normalize() ? c.unitAtomInto(scratch) : c.features();
    }
}
