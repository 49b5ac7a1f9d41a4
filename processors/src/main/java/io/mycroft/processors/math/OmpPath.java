package io.mycroft.processors.math;

import java.util.ArrayList;
import java.util.List;

/**
 * The OMP path: every step in order (winners, drops, weights after each step, winning scores), whether the run ended
 * because no unchosen candidate was left ({@code exhausted}), ‖r‖ after the last step, ‖y‖, and how many sample
 * records produced the candidate set. This is the whole incremental state: O(B²) numbers, no residual vectors.
 */
public record OmpPath(List<OmpStep> steps, boolean exhausted, double residualNorm, double targetNorm,
                      long samplesSeen) {

    public OmpPath {
        steps = List.copyOf(steps);
    }

    /** Active sampleIds after step t (t = 0: none), in active order. */
    public List<String> activeAfter(int t) {
        List<String> active = new ArrayList<>();
        for (int i = 0; i < t; i++) {
            OmpStep s = steps.get(i);
            if (!s.dependent()) {
                active.add(s.winner());
            }
            active.removeAll(s.dropped());
        }
        return active;
    }

    /** Weights w^{(t)} after step t, aligned with {@link #activeAfter(int)}. */
    public double[] weightsAfter(int t) {
        return t == 0 ? new double[0] : steps.get(t - 1).weights();
    }

    /** The selected subset after the last step. */
    public UsefulSubset subset() {
        return new UsefulSubset(activeAfter(steps.size()), weightsAfter(steps.size()), residualNorm, targetNorm);
    }

    /** Same path bit for bit, ignoring {@code samplesSeen} (a count of records, not of the candidate set). */
    public boolean samePath(OmpPath o) {
        return o.steps.equals(steps) && o.exhausted == exhausted
                && Double.doubleToRawLongBits(o.residualNorm) == Double.doubleToRawLongBits(residualNorm)
                && Double.doubleToRawLongBits(o.targetNorm) == Double.doubleToRawLongBits(targetNorm);
    }
}
