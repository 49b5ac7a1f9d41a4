package io.mycroft.processors.math;

import java.util.ArrayList;
import java.util.List;

/**
 * How sure an owner's live score is: the spread of the score when the hard set is resampled class by class.
 *
 * <p>An owner's score is a sum of per-class terms, S = Σ_{c=1..C} t_c (GRADIENT: t_c = 1 − ‖r_{B,c}‖/‖y_c‖; FEATURE:
 * t_c = κ_c/C; FUNCFEAT: t_c = (½(1 − ‖r_{B,c}‖/‖y_c‖) + ½κ_c)/C, see {@link OwnerScore}). The model trainer's choice of
 * weak classes is the sample the score was measured on; the class bootstrap draws C classes with replacement and sums
 * their terms, S* = Σ_{i=1..C} t_{c_i}. Its variance is exact in closed form, Var(S*) = C·σ², with σ² = (1/C)·Σ_c (t_c −
 * t̄)² the population variance of the terms, so the interval is
 * <pre>  S ± z·√C·σ     (z = 1.96 by default: a 95 % normal interval of the class bootstrap)</pre>
 *
 * <p>Why this and not resampling single hard samples or the owner's data: both change the OMP target y_c or the candidate
 * set and so need a fresh OMP solve per resample (O(B·n·d) each), far too dear for the streaming path; the per-class
 * residuals are already in every subset update, so this costs O(C) per update. The closed form draws no random numbers,
 * so it needs no seed: the interval is a pure function of the per-class terms (bit-identical on audit replay, independent
 * of arrival order beyond the score itself). With one class the width is 0: the hard set then gives no spread to resample.
 */
public record ScoreInterval(double low, double high) {
    public static final double Z95 = 1.96;

    public ScoreInterval {
        if (!(low <= high)) {
            throw new IllegalArgumentException("interval low must be ≤ high, was [" + low + ", " + high + "]");
        }
    }

    /**
     * The class-bootstrap interval S ± z·√C·σ around {@code score}.
     *
     * @param score      the owner's live score S (the centre; equals Σ t_c up to rounding)
     * @param classTerms t_c, one per class of the request, in label order
     * @param z          the normal quantile (≥ 0)
     */
    public static ScoreInterval classBootstrap(double score, double[] classTerms, double z) {
        if (classTerms.length == 0) {
            throw new IllegalArgumentException("classTerms must hold one term per class of the request, was empty");
        }
        if (!(z >= 0) || Double.isInfinite(z)) {
            throw new IllegalArgumentException("z must be finite and ≥ 0, was " + z);
        }
        double halfWidth = z * Math.sqrt(classTerms.length * populationVariance(classTerms));
        return new ScoreInterval(score - halfWidth, score + halfWidth);
    }

    /**
     * The per-class terms t_c of an owner's score (see the class comment), from what a subset update carries.
     *
     * @param explained 1 − ‖r_{B,c}‖/‖y_c‖ per class, or null when gradients were not matched (FEATURE)
     * @param coverage  κ_c per class, or null when embeddings were not matched (GRADIENT)
     */
    public static double[] classTerms(double[] explained, double[] coverage) {
        if (explained == null && coverage == null) {
            throw new IllegalArgumentException("a score has gradient terms, coverage terms or both; got neither");
        }
        int classes = explained != null ? explained.length : coverage.length;
        if (explained != null && coverage != null && coverage.length != classes) {
            throw new IllegalArgumentException("one explained fraction and one coverage per class: " + classes
                    + " vs " + coverage.length);
        }
        double[] terms = new double[classes];
        for (int c = 0; c < classes; c++) {
            if (coverage == null) {
                terms[c] = explained[c];
            } else if (explained == null) {
                terms[c] = coverage[c] / classes;
            } else {
                terms[c] = (0.5 * explained[c] + 0.5 * coverage[c]) / classes;
            }
        }
        return terms;
    }

    /** σ² = (1/C)·Σ (t_c − t̄)², two passes (no cancellation). */
    static double populationVariance(double[] terms) {
        double mean = 0;
        for (double t : terms) {
            mean += t;
        }
        mean /= terms.length;
        double sum = 0;
        for (double t : terms) {
            sum += (t - mean) * (t - mean);
        }
        return sum / terms.length;
    }

    /** True if this interval lies wholly above {@code other}'s: the two owners' order is told apart. */
    public boolean above(ScoreInterval other) {
        return low > other.high;
    }

    /**
     * The separated order of a ranking: every pair "a>b" of owners whose intervals do not overlap, a above b, in rank
     * order. Owners are given best first; the result depends only on the intervals, so on the scores.
     */
    public static List<String> separatedPairs(List<String> ownerIds, List<ScoreInterval> intervals) {
        if (ownerIds.size() != intervals.size()) {
            throw new IllegalArgumentException("one interval per owner: " + ownerIds.size() + " owners, "
                    + intervals.size() + " intervals");
        }
        List<String> pairs = new ArrayList<>();
        for (int i = 0; i < ownerIds.size(); i++) {
            for (int j = 0; j < ownerIds.size(); j++) {
                if (i != j && intervals.get(i).above(intervals.get(j))) {
                    pairs.add(ownerIds.get(i) + ">" + ownerIds.get(j));
                }
            }
        }
        return pairs;
    }
}
