package io.mycroft.experiments.metrics;

import java.util.List;
import java.util.OptionalDouble;

/**
  * How good an owner ranking and a selected subset are (DESIGN §3, "Judging a ranking"; issue 8's results fields).
  * Owners are items 0..n−1 in a fixed order (the scenario's, i.e. by ownerId); a ranking is a score per owner, higher
  * first, ties broken toward the lower index — the same tie-break as OwnerRanking's "ties by ownerId".
  */
public final class RankingMetrics {
    private RankingMetrics() {}

    /**
      * FI_{−s}: the element-wise mean of every seed's vector but seed {@code s}'s. Judging seed s against a mean that
      * contains s itself would favour whatever agrees with s's own noise (DESIGN §3, "like with like").
      */
    public static double[] leaveOneOutMean(List<double[]> bySeed, int s) {
        if (bySeed.size() < 2) {
            throw new IllegalArgumentException("leaving one seed out needs at least 2 seeds, got " + bySeed.size());
        }
        List<double[]> others = new java.util.ArrayList<>(bySeed);
        others.remove(s);
        return meanScores(others);
    }

    /** The scores of the owners where {@code keep} is true, in owner order. */
    public static double[] masked(double[] scores, boolean[] keep) {
        if (scores.length != keep.length) {
            throw new IllegalArgumentException(scores.length + " scores vs " + keep.length + " flags");
        }
        return java.util.stream.IntStream.range(0, scores.length).filter(i -> keep[i]).mapToDouble(i -> scores[i]).toArray();
    }

    /** τ-b, or null where it is undefined (fewer than 2 owners, or one side all ties). */
    public static Double tauOrNull(double[] x, double[] y) {
        if (x.length < 2 || allTied(x) || allTied(y)) {
            return null;
        }
        return KendallTau.tauB(x, y);
    }

    private static boolean allTied(double[] v) {
        return java.util.Arrays.stream(v).allMatch(d -> d == v[0]);
    }

    /** Element-wise mean of per-seed score vectors: the reference ranking "full information averaged over seeds". */
    public static double[] meanScores(List<double[]> bySeed) {
        if (bySeed.isEmpty()) {
            throw new IllegalArgumentException("no score vectors");
        }
        double[] mean = new double[bySeed.get(0).length];
        for (double[] s : bySeed) {
            if (s.length != mean.length) {
                throw new IllegalArgumentException("score vectors of different lengths: " + s.length + " vs " + mean.length);
            }
            for (int i = 0; i < mean.length; i++) {
                mean[i] += s[i] / bySeed.size();
            }
        }
        return mean;
    }

    /** Index of the top owner: highest score, ties to the lower index. */
    public static int top(double[] scores) {
        if (scores.length == 0) {
            throw new IllegalArgumentException("no owners");
        }
        int best = 0;
        for (int i = 1; i < scores.length; i++) {
            if (scores[i] > scores[best]) {
                best = i;
            }
        }
        return best;
    }

    /** Whether both rankings put the same owner first. */
    public static boolean top1Correct(double[] predicted, double[] reference) {
        if (predicted.length != reference.length) {
            throw new IllegalArgumentException(predicted.length + " predicted owners vs " + reference.length + " reference");
        }
        return top(predicted) == top(reference);
    }

    /**
      * Gain recovery: (acc_subset − acc_base) ÷ (acc_full − acc_base), the share of full information's improvement over
      * the MT's own model that the subset achieves. Empty when full information gains nothing (ratio undefined).
      */
    public static OptionalDouble gainRecovery(double subsetAccuracy, double fullAccuracy, double baseAccuracy) {
        double fullGain = fullAccuracy - baseAccuracy;
        if (!(fullGain > 0)) {
            return OptionalDouble.empty();
        }
        return OptionalDouble.of((subsetAccuracy - baseAccuracy) / fullGain);
    }

    /**
      * Mycroft minus random in percentage points of accuracy (accuracies in [0, 1]), paired by seed: the spread is over
      * the per-seed differences, so seed-to-seed variation common to both does not inflate it.
      */
    public static Spread vsRandomPoints(double[] mycroftBySeed, double[] randomBySeed) {
        if (mycroftBySeed.length != randomBySeed.length) {
            throw new IllegalArgumentException(mycroftBySeed.length + " Mycroft seeds vs " + randomBySeed.length + " random");
        }
        double[] diff = new double[mycroftBySeed.length];
        for (int i = 0; i < diff.length; i++) {
            diff[i] = 100.0 * (mycroftBySeed[i] - randomBySeed[i]);
        }
        return Spread.of(diff);
    }
}
