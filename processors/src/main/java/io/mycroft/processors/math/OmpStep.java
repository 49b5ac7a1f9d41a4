package io.mycroft.processors.math;

import java.util.Arrays;
import java.util.List;

/**
 * One step t of an OMP path: the winning candidate j_t = argmax over unchosen candidates of the score of ⟨a_j, r_{t−1}⟩,
 * its score, whether it was linearly dependent on the active atoms (then consumed but not added), the atoms dropped
 * for a negative weight after adding it, and the weights w^{(t)} of the active atoms after the step (active order).
 */
public record OmpStep(String winner, double score, boolean dependent, List<String> dropped, double[] weights) {

    public OmpStep {
        dropped = List.copyOf(dropped);
        weights = weights.clone();
    }

    @Override
    public double[] weights() {
        return weights.clone();
    }

    /** Bitwise equality of scores and weights (the "bit for bit" of DESIGN §3). */
    @Override
    public boolean equals(Object o) {
        return o instanceof OmpStep s && s.winner.equals(winner)
                && Double.doubleToRawLongBits(s.score) == Double.doubleToRawLongBits(score)
                && s.dependent == dependent && s.dropped.equals(dropped) && bitEqual(s.weights, weights);
    }

    @Override
    public int hashCode() {
        return winner.hashCode() * 31 + Arrays.hashCode(weights);
    }

    @Override
    public String toString() {
        return "OmpStep[" + winner + " score=" + score + (dependent ? " dependent" : "")
                + (dropped.isEmpty() ? "" : " dropped=" + dropped) + " w=" + Arrays.toString(weights) + "]";
    }

    static boolean bitEqual(double[] a, double[] b) {
        if (a.length != b.length) {
            return false;
        }
        for (int i = 0; i < a.length; i++) {
            if (Double.doubleToRawLongBits(a[i]) != Double.doubleToRawLongBits(b[i])) {
                return false;
            }
        }
        return true;
    }
}
