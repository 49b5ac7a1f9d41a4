package io.mycroft.processors.math;

import java.util.Arrays;
import java.util.List;

/**
 * D_useful of one (request, owner, class): the selected sampleIds in active order, their OMP weights, the final residual
 * norm ‖r‖ = ‖y − A_T·w‖ and the target norm ‖y‖ (the owner score uses 1 − ‖r‖/‖y‖).
 */
public record UsefulSubset(List<String> sampleIds, double[] weights, double residualNorm, double targetNorm) {

    public UsefulSubset {
        sampleIds = List.copyOf(sampleIds);
        weights = weights.clone();
    }

    @Override
    public double[] weights() {
        return weights.clone();
    }

    /** 1 − ‖r‖/‖y‖, the share of the target the subset explains; 0 for a zero target. */
    public double explained() {
        return targetNorm == 0 ? 0 : 1 - residualNorm / targetNorm;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof UsefulSubset u && u.sampleIds.equals(sampleIds) && OmpStep.bitEqual(u.weights, weights)
                && Double.doubleToRawLongBits(u.residualNorm) == Double.doubleToRawLongBits(residualNorm)
                && Double.doubleToRawLongBits(u.targetNorm) == Double.doubleToRawLongBits(targetNorm);
    }

    @Override
    public int hashCode() {
        return sampleIds.hashCode() * 31 + Arrays.hashCode(weights);
    }

    @Override
    public String toString() {
        return "UsefulSubset[" + sampleIds + " w=" + Arrays.toString(weights) + " ‖r‖=" + residualNorm
                + " ‖y‖=" + targetNorm + "]";
    }
}
