package io.mycroft.experiments.report;

import io.mycroft.experiments.metrics.KendallTau;
import io.mycroft.experiments.metrics.RankingMetrics;
import io.mycroft.experiments.metrics.Spread;
import io.mycroft.experiments.report.SeedRun.Measurement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.ToDoubleFunction;

/**
  * Derives {@link Results} from the per-seed measurements of a scenario, following DESIGN §3 "Judging a ranking":
  * the reference ranking is full information averaged over seeds, reported beside its own seed-to-seed noise ceiling.
  */
public final class ResultsCalculator {
    public static final String RANDOM = "RANDOM";
    public static final String FULL_INFORMATION = "FULL_INFORMATION";

    private ResultsCalculator() {}

    /**
      * @param owners owner ids in the order of every score array
      * @param primaryMethod the Mycroft method the headline numbers are about (e.g. GRADIENT)
      */
    public static Results compute(String scenario, String dataset, List<String> owners, String primaryMethod,
                                                                List<SeedRun> runs) {
        validate(owners, primaryMethod, runs);
        List<double[]> mycroft = runs.stream().map(SeedRun::mycroftScores).toList();
        List<double[]> full = runs.stream().map(SeedRun::fullInformationScores).toList();
        double[] meanMycroft = RankingMetrics.meanScores(mycroft);
        double[] meanFull = RankingMetrics.meanScores(full);

        double[] tauBySeed = mycroft.stream().mapToDouble(m -> KendallTau.tauB(m, meanFull)).toArray();
        Spread tau = Spread.of(tauBySeed);
        Double ceiling = runs.size() >= 2 ? RankingMetrics.noiseCeiling(full) : null;
        boolean top1 = RankingMetrics.top1Correct(meanMycroft, meanFull);
        double top1Rate = mycroft.stream().filter(m -> RankingMetrics.top1Correct(m, meanFull)).count()
                / (double) runs.size();

        List<Results.AccuracyRow> accuracies = accuracyRows(runs);
        Results.AccuracyRow headline = accuracies.stream().filter(r -> r.method().equals(primaryMethod))
                .min((a, b) -> Double.compare(Math.abs(a.sharedFraction().mean() - Results.GAIN_RECOVERY_FRACTION),
                        Math.abs(b.sharedFraction().mean() - Results.GAIN_RECOVERY_FRACTION)))
                .orElseThrow();
        Results.AccuracySpread mtOnly = new Results.AccuracySpread(
                spread(runs, r -> r.modelTrainerOnly().heldOutHard()), spread(runs, r -> r.modelTrainerOnly().test()));

        Double gainRecovery = null;
        Results.AccuracyRow fullRow = find(accuracies, FULL_INFORMATION, Measurement.ALL_DATA);
        if (fullRow != null) {
            OptionalDouble g = RankingMetrics.gainRecovery(headline.heldOutHard().mean(), fullRow.heldOutHard().mean(),
                    mtOnly.heldOutHard().mean());
            gainRecovery = g.isPresent() ? g.getAsDouble() : null;
        }

        List<Results.VsRandom> vsRandom = new ArrayList<>();
        for (Results.AccuracyRow row : accuracies) {
            if (row.method().equals(RANDOM) || row.method().equals(FULL_INFORMATION)
                    || find(accuracies, RANDOM, row.budget()) == null) {
                continue;
            }
            double[] method = perSeed(runs, row.method(), row.budget());
            double[] random = perSeed(runs, RANDOM, row.budget());
            vsRandom.add(new Results.VsRandom(row.method(), row.budget(), RankingMetrics.vsRandomPoints(method, random)));
        }
        Spread headlineVsRandom = vsRandom.stream()
                .filter(v -> v.method().equals(primaryMethod) && v.budget() == headline.budget())
                .map(Results.VsRandom::points).findFirst().orElse(null);
        List<Results.VsRandom> notBetter = vsRandom.stream().filter(v -> v.points().mean() <= 0).toList();

        Results.Targets targets = new Results.Targets(
                ceiling == null ? null : tau.mean() >= ceiling,
                top1,
                headlineVsRandom == null ? null : headlineVsRandom.mean() >= Results.VS_RANDOM_TARGET_POINTS,
                gainRecovery == null ? null : gainRecovery >= Results.GAIN_RECOVERY_TARGET);

        int[] mycroftRank = ranks(meanMycroft);
        int[] fullRank = ranks(meanFull);
        List<Results.OwnerRow> ranking = new ArrayList<>();
        for (int i = 0; i < owners.size(); i++) {
            ranking.add(new Results.OwnerRow(owners.get(i), meanMycroft[i], mycroftRank[i], meanFull[i], fullRank[i]));
        }
        ranking.sort((a, b) -> Integer.compare(a.fullInformationRank(), b.fullInformationRank()));

        return new Results(scenario, dataset, runs.stream().map(SeedRun::seed).toList(), owners, primaryMethod,
                headline.budget(), tau.mean(), tau, ceiling, top1, top1Rate, gainRecovery, headline.sharedFraction().mean(),
                headlineVsRandom, targets, ranking, mtOnly, accuracies, vsRandom, notBetter,
                runs.stream().filter(r -> r.pipeline() != null).map(r -> new Results.SeedPipeline(r.seed(), r.pipeline())).toList());
    }

    /** 1-based ranks by descending score, ties to the lower index (the owner listed first). */
    static int[] ranks(double[] scores) {
        Integer[] order = new Integer[scores.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        java.util.Arrays.sort(order, (a, b) -> scores[a] != scores[b] ? Double.compare(scores[b], scores[a])
                : Integer.compare(a, b));
        int[] rank = new int[scores.length];
        for (int r = 0; r < order.length; r++) {
            rank[order[r]] = r + 1;
        }
        return rank;
    }

    private static List<Results.AccuracyRow> accuracyRows(List<SeedRun> runs) {
        Map<String, Map<Integer, Boolean>> keys = new LinkedHashMap<>();
        for (Measurement m : runs.get(0).measurements()) {
            keys.computeIfAbsent(m.method(), k -> new TreeMap<>()).put(m.budget(), true);
        }
        List<Results.AccuracyRow> rows = new ArrayList<>();
        keys.forEach((method, budgets) -> budgets.keySet().forEach(budget -> rows.add(new Results.AccuracyRow(method,
                budget,
                Spread.of(perSeed(runs, method, budget)),
                Spread.of(runs.stream().mapToDouble(r -> measurement(r, method, budget).accuracy().test()).toArray()),
                Spread.of(runs.stream().mapToDouble(r -> measurement(r, method, budget).sharedFraction()).toArray())))));
        return rows;
    }

    private static double[] perSeed(List<SeedRun> runs, String method, int budget) {
        return runs.stream().mapToDouble(r -> measurement(r, method, budget).accuracy().heldOutHard()).toArray();
    }

    private static Measurement measurement(SeedRun run, String method, int budget) {
        return run.measurements().stream().filter(m -> m.method().equals(method) && m.budget() == budget).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("seed " + run.seed() + " has no measurement for " + method
                        + " at budget " + budget + "; every seed must measure the same (method, budget) pairs"));
    }

    private static Results.AccuracyRow find(List<Results.AccuracyRow> rows, String method, int budget) {
        return rows.stream().filter(r -> r.method().equals(method) && r.budget() == budget).findFirst().orElse(null);
    }

    private static Spread spread(List<SeedRun> runs, ToDoubleFunction<SeedRun> f) {
        return Spread.of(runs.stream().mapToDouble(f).toArray());
    }

    private static void validate(List<String> owners, String primaryMethod, List<SeedRun> runs) {
        if (runs.isEmpty()) {
            throw new IllegalArgumentException("no seed runs");
        }
        if (owners.size() < 2) {
            throw new IllegalArgumentException("ranking needs at least 2 owners, got " + owners.size());
        }
        Set<Long> seeds = new HashSet<>();
        for (SeedRun run : runs) {
            if (!seeds.add(run.seed())) {
                throw new IllegalArgumentException("seed " + run.seed() + " appears twice");
            }
            if (run.mycroftScores().length != owners.size() || run.fullInformationScores().length != owners.size()) {
                throw new IllegalArgumentException("seed " + run.seed() + ": score arrays must have one entry per owner ("
                        + owners.size() + ")");
            }
            Set<String> seen = new HashSet<>();
            for (Measurement m : run.measurements()) {
                if (!seen.add(m.method() + "@" + m.budget())) {
                    throw new IllegalArgumentException("seed " + run.seed() + ": " + m.method() + " at budget " + m.budget()
                            + " is measured twice");
                }
            }
            if (run.measurements().size() != runs.get(0).measurements().size()) {
                throw new IllegalArgumentException("seed " + run.seed() + " measures " + run.measurements().size()
                        + " (method, budget) pairs, seed " + runs.get(0).seed() + " measures " + runs.get(0).measurements().size());
            }
        }
        if (runs.get(0).measurements().stream().noneMatch(m -> m.method().equals(primaryMethod))) {
            throw new IllegalArgumentException("no measurement of the primary method " + primaryMethod);
        }
    }
}
