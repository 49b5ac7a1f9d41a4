package io.mycroft.processors.math;

import java.util.List;
import java.util.Objects;
import java.util.OptionalDouble;

/**
 * An owner's live score for one request (DESIGN §3 "Owner score"). Built only from how well the owner's selection
 * matches D_hard, never from sizes or counts (a big noisy owner must not beat a small clean one).
 *
 * <ul>
 *   <li>GRADIENT: G = Σ_c (1 − ‖r_{B,c}‖/‖y_c‖) over the request's classes (primary; exact and incremental).</li>
 *   <li>FEATURE: the RetrieveTopK coverage κ (mean over hard samples of the mean cosine of their k nearest).</li>
 *   <li>FUNCFEAT: ½·G/C + ½·κ with C = number of classes. G/C is the mean explained fraction, in [0, 1] when
 *       ‖r_B‖ ≤ ‖y‖ (ridge: ‖r‖² + λ‖w‖² ≤ ‖y‖² since w = 0 is feasible); κ ≤ 1, and ≥ 0 for non-negative (ReLU)
 *       embeddings. Equal weights put both on the same unit scale; within a request C is fixed, so for GRADIENT alone
 *       dividing by C would not change the order.</li>
 * </ul>
 * The MT's measured evaluation gain, when present, outranks every live score ({@link OwnerOrder#BEST_FIRST}).
 *
 * @param ownerId        the data owner
 * @param score          the live score the ranking uses
 * @param gradientScore  G, when gradients were matched
 * @param coverage       κ, when embeddings were matched
 * @param evaluationGain the fine-tune gain on held-out D_hard, when the MT has measured it
 */
public record OwnerScore(String ownerId, double score, OptionalDouble gradientScore, OptionalDouble coverage,
                         OptionalDouble evaluationGain) {
    public OwnerScore {
        Objects.requireNonNull(ownerId, "ownerId");
        score = requireFinite(score, "score of " + ownerId);
        if (evaluationGain.isPresent()) {
            evaluationGain = OptionalDouble.of(requireFinite(evaluationGain.getAsDouble(), "evaluation gain of " + ownerId));
        }
    }

    /** GRADIENT: score = Σ_c (1 − ‖r_{B,c}‖/‖y_c‖), one entry per class of the request. */
    public static OwnerScore gradient(String ownerId, List<ClassResidual> perClass) {
        double g = explainedSum(perClass);
        return new OwnerScore(ownerId, g, OptionalDouble.of(g), OptionalDouble.empty(), OptionalDouble.empty());
    }

    /** FEATURE: score = RetrieveTopK coverage ({@link RetrieveTopK#coverage(List)}). */
    public static OwnerScore feature(String ownerId, double coverage) {
        requireFinite(coverage, "coverage of " + ownerId);
        return new OwnerScore(ownerId, coverage, OptionalDouble.empty(), OptionalDouble.of(coverage),
                OptionalDouble.empty());
    }

    /** FUNCFEAT: score = ½·G/C + ½·coverage, one entry per class of the request. */
    public static OwnerScore funcFeat(String ownerId, List<ClassResidual> perClass, double coverage) {
        double g = explainedSum(perClass);
        requireFinite(coverage, "coverage of " + ownerId);
        return new OwnerScore(ownerId, 0.5 * g / perClass.size() + 0.5 * coverage, OptionalDouble.of(g),
                OptionalDouble.of(coverage), OptionalDouble.empty());
    }

    /** The same live score with the MT's measured gain attached. */
    public OwnerScore withEvaluationGain(double gain) {
        return new OwnerScore(ownerId, score, gradientScore, coverage, OptionalDouble.of(gain));
    }

    private static double explainedSum(List<ClassResidual> perClass) {
        if (perClass.isEmpty()) {
            throw new IllegalArgumentException("an owner score needs the residual of every class of the request");
        }
        double g = 0;
        for (ClassResidual c : perClass) {
            g += c.explained();
        }
        return g;
    }

    /** Rejects NaN/Inf; maps −0.0 to 0.0 so the ranking's comparisons see one zero. */
    private static double requireFinite(double v, String what) {
        if (!Double.isFinite(v)) {
            throw new IllegalArgumentException(what + " must be finite, was " + v);
        }
        return v + 0.0;
    }
}
