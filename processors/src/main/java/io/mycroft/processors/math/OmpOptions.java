package io.mycroft.processors.math;

/**
 * Settings of one OMP run (DESIGN §3). Immutable; derive variants with the {@code with…} methods.
 *
 * @param budget      B: atoms to hold (fill mode) or steps to take ({@code paperSteps})
 * @param lambda      λ of the ridge term λ‖w‖² (paper default 0.5; 0 = plain least squares)
 * @param nonNegative while some weight is negative, drop the most negative atom and re-solve
 * @param normalize   L2-normalise candidate columns before selection and scoring
 * @param paperSteps  take exactly B steps as the paper's code does; otherwise keep stepping until B atoms are held
 * @param epsilon     stop before a step once ‖r‖ ≤ ε·‖y‖; 0 disables the ε-stop
 * @param correlation score an atom by the signed ⟨a, r⟩ (GradMatch) or by |⟨a, r⟩| (classical OMP, scikit-learn)
 * @param lambda2     λ₂ of the FuncFeat penalty λ₂·Σ(d_i·w_i)², d_i = {@link Candidate#penalty()}; 0 disables it
 */
public record OmpOptions(int budget, double lambda, boolean nonNegative, boolean normalize, boolean paperSteps,
                         double epsilon, Correlation correlation, double lambda2) {

    /** How a candidate's correlation with the residual is turned into the score OMP maximises. */
    public enum Correlation { SIGNED, ABSOLUTE }

    /** The paper's FuncFeat default λ₂. */
    public static final double FUNC_FEAT_LAMBDA2 = 2.0;

    public OmpOptions {
        if (budget < 1) {
            throw new IllegalArgumentException("budget must be at least 1, was " + budget);
        }
        if (!(lambda >= 0) || Double.isInfinite(lambda)) {
            throw new IllegalArgumentException("lambda must be finite and >= 0, was " + lambda);
        }
        if (!(epsilon >= 0 && epsilon < 1)) {
            throw new IllegalArgumentException("epsilon must be in [0, 1), was " + epsilon);
        }
        if (!(lambda2 >= 0) || Double.isInfinite(lambda2)) {
            throw new IllegalArgumentException("lambda2 must be finite and >= 0, was " + lambda2);
        }
        if (correlation == null) {
            throw new IllegalArgumentException("correlation must be given");
        }
    }

    /** Our default: signed scores, λ = 0.5, non-negative, unit-norm columns, fill to B, no ε-stop, no FuncFeat. */
    public static OmpOptions gradMatch(int budget) {
        return new OmpOptions(budget, 0.5, true, true, false, 0, Correlation.SIGNED, 0);
    }

    /** Classical OMP as scikit-learn's {@code orthogonal_mp}: |⟨a, r⟩|, plain least squares, raw columns, B steps. */
    public static OmpOptions leastSquares(int budget) {
        return new OmpOptions(budget, 0, false, false, true, 0, Correlation.ABSOLUTE, 0);
    }

    public OmpOptions withBudget(int b) {
        return new OmpOptions(b, lambda, nonNegative, normalize, paperSteps, epsilon, correlation, lambda2);
    }

    public OmpOptions withLambda(double l) {
        return new OmpOptions(budget, l, nonNegative, normalize, paperSteps, epsilon, correlation, lambda2);
    }

    public OmpOptions withNonNegative(boolean on) {
        return new OmpOptions(budget, lambda, on, normalize, paperSteps, epsilon, correlation, lambda2);
    }

    public OmpOptions withNormalize(boolean on) {
        return new OmpOptions(budget, lambda, nonNegative, on, paperSteps, epsilon, correlation, lambda2);
    }

    /** {@code true}: exactly B steps (the paper's code); {@code false}: keep stepping until B atoms are held. */
    public OmpOptions withPaperSteps(boolean on) {
        return new OmpOptions(budget, lambda, nonNegative, normalize, on, epsilon, correlation, lambda2);
    }

    public OmpOptions withEpsilon(double e) {
        return new OmpOptions(budget, lambda, nonNegative, normalize, paperSteps, e, correlation, lambda2);
    }

    public OmpOptions withCorrelation(Correlation c) {
        return new OmpOptions(budget, lambda, nonNegative, normalize, paperSteps, epsilon, c, lambda2);
    }

    /** FuncFeat with the paper's λ₂ = 2. */
    public OmpOptions withFuncFeat() {
        return withFuncFeat(FUNC_FEAT_LAMBDA2);
    }

    public OmpOptions withFuncFeat(double l2) {
        return new OmpOptions(budget, lambda, nonNegative, normalize, paperSteps, epsilon, correlation, l2);
    }
}
