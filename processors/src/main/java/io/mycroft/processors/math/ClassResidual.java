package io.mycroft.processors.math;

/**
 * The end of one class's OMP run as plain numbers: ‖r_{B,c}‖ (residual after the last step) and ‖y_c‖ (the target),
 * both in the space OMP selected in (normalised columns by default). A class the owner has no samples of has
 * residualNorm = targetNorm.
 */
public record ClassResidual(double residualNorm, double targetNorm) {
    public ClassResidual {
        if (!(residualNorm >= 0) || Double.isInfinite(residualNorm)) {
            throw new IllegalArgumentException("residualNorm must be finite and ≥ 0, was " + residualNorm);
        }
        if (!(targetNorm > 0) || Double.isInfinite(targetNorm)) {
            throw new IllegalArgumentException("targetNorm ‖y_c‖ must be finite and > 0, was " + targetNorm
                    + " (a zero target has nothing to match)");
        }
    }

    /** 1 − ‖r_{B,c}‖/‖y_c‖: the fraction of the target's norm explained by the class's selection. */
    public double explained() {
        return 1 - residualNorm / targetNorm;
    }
}
