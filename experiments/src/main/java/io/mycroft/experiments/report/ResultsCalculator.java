package io.mycroft.experiments.report;

import io.mycroft.experiments.metrics.Bootstrap;
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
  * Derives {@link Results} from the per-seed measurements of a scenario, following DESIGN §3 "Judging a ranking — like
  * with like": each seed's live scores and its own full information are judged against FI_{−s}, the other seeds' mean;
  * the headline is over owners holding data of the requested classes.
  */
public final class ResultsCalculator {
    public static final String RANDOM = "RANDOM";
    public static final String FULL_INFORMATION = "FULL_INFORMATION";
    /** Seeds whose live top owner must be FI_{−s}'s for the top-1 target. */
    public static final double TOP1_TARGET_RATE = 2.0 / 3;
    /** (z_{0.975} + z_{0.8}): a paired difference this many standard errors from 0 is detected with 80% power. */
    static final double DETECTABLE_Z = 2.8;

    private ResultsCalculator() {}

    /**
      * @param owners owner ids in the order of every score array
      * @param primaryMethod the Mycroft method the headline numbers are about (e.g. GRADIENT)
      */
    public static Results compute(String scenario, String dataset, List<String> owners, String primaryMethod,
                                  List<SeedRun> runs) {
        validate(owners, primaryMethod, runs);
        List<double[]> mycroft = runs.stream().map(SeedRun::mycroftScores).toList();
        List<double[]> gains = runs.stream().map(SeedRun::fullInformationGains).toList();
        double[] meanMycroft = RankingMetrics.meanScores(mycroft);
        double[] meanFull = RankingMetrics.meanScores(runs.stream().map(SeedRun::fullInformationScores).toList());

        List<Results.SeedRanking> bySeed = new ArrayList<>();
        for (int s = 0; s < runs.size(); s++) {
            bySeed.add(seedRanking(runs, gains, s));
        }
        double[] taus = present(bySeed, Results.SeedRanking::tau);
        double[] ceilings = present(bySeed, Results.SeedRanking::noiseCeiling);
        Double tau = mean(taus);
        Double ceiling = mean(ceilings);
        double[] paired = bySeed.stream().filter(r -> r.tau() != null && r.noiseCeiling() != null)
                .mapToDouble(r -> r.tau() - r.noiseCeiling()).toArray();
        Bootstrap.Interval tauMinusCeiling = paired.length == 0 ? null : Bootstrap.meanInterval(paired);
        double top1Rate = bySeed.stream().filter(r -> Boolean.TRUE.equals(r.top1Correct())).count() / (double) runs.size();
        boolean top1 = top1Rate >= TOP1_TARGET_RATE - 1e-12;

        List<Results.AccuracyRow> accuracies = accuracyRows(runs);
        int headlineBudget = headlineBudget(runs, primaryMethod, accuracies);
        Results.AccuracyRow headline = find(accuracies, primaryMethod, headlineBudget);
        Results.AccuracySpread mtOnly = new Results.AccuracySpread(
                spread(runs, r -> r.modelTrainerOnly().heldOutHard()), spread(runs, r -> r.modelTrainerOnly().test()));

        Double gainRecovery = null;
        Results.AccuracyRow fullRow = find(accuracies, FULL_INFORMATION, Measurement.ALL_DATA);
        if (fullRow != null && headline != null) {
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
                .filter(v -> v.method().equals(primaryMethod) && v.budget() == headlineBudget)
                .map(Results.VsRandom::points).findFirst().orElse(null);
        List<Results.VsRandom> notBetter = vsRandom.stream().filter(v -> v.points().mean() <= 0).toList();
        Double detectable = detectableDifference(headlineVsRandom, runs);

        List<Results.SelectionRow> selections = new ArrayList<>();
        runs.forEach(r -> r.selections().forEach(x -> selections.add(new Results.SelectionRow(r.seed(), x.owner(),
                x.method(), x.budget(), x.shared(), x.heldOutHard(), x.labelPurity(), x.matchedTo(), x.copies()))));
        boolean budgetHonoured = selections.stream().allMatch(x -> x.shared() <= x.budget())
                && runs.stream().flatMap(r -> r.measurements().stream())
                        .allMatch(m -> m.budget() == Measurement.ALL_DATA || m.shared() <= m.budget());

        Results.Targets targets = new Results.Targets(
                tau == null || ceiling == null ? null : tau >= ceiling,
                top1,
                headlineVsRandom == null ? null : headlineVsRandom.mean() >= Results.VS_RANDOM_TARGET_POINTS,
                gainRecovery == null ? null : gainRecovery >= Results.GAIN_RECOVERY_TARGET,
                budgetHonoured);

        int[] mycroftRank = ranks(meanMycroft);
        int[] fullRank = ranks(meanFull);
        List<Results.OwnerRow> ranking = new ArrayList<>();
        for (int i = 0; i < owners.size(); i++) {
            ranking.add(new Results.OwnerRow(owners.get(i), meanMycroft[i], mycroftRank[i], meanFull[i], fullRank[i]));
        }
        ranking.sort((a, b) -> Integer.compare(a.fullInformationRank(), b.fullInformationRank()));

        List<Results.PerSeedOwner> perSeed = new ArrayList<>();
        for (int s = 0; s < runs.size(); s++) {
            SeedRun r = runs.get(s);
            for (int o = 0; o < owners.size(); o++) {
                perSeed.add(new Results.PerSeedOwner(r.seed(), owners.get(o), r.hasRequestedClasses()[o],
                        r.mycroftScores()[o], gains.get(s)[o], scoresOf(r, o)));
            }
        }

        return new Results(scenario, dataset, runs.stream().map(SeedRun::seed).toList(), owners, primaryMethod,
                primaryMethod, headlineBudget, tau, taus.length == 0 ? null : Spread.of(taus),
                mean(present(bySeed, Results.SeedRanking::tauAllOwners)), ceiling,
                mean(present(bySeed, Results.SeedRanking::noiseCeilingAllOwners)), tauMinusCeiling, bySeed, top1, top1Rate,
                scoreRankings(runs, gains, bySeed), gainRecovery, headline == null ? 0 : headline.sharedFraction().mean(), headlineVsRandom, detectable,
                budgetHonoured, targets, ranking, mtOnly, accuracies, vsRandom, vsRandomByOwner(owners, selections, runs),
                notBetter, perSeed, selections,
                runs.stream().filter(r -> r.pipeline() != null).map(r -> new Results.SeedPipeline(r.seed(), r.pipeline())).toList());
    }

    /**
      * Seed s judged like with like: τ_b(live_s, FI_{−s}) and the ceiling τ_b(FI_s, FI_{−s}) over the owners holding
      * requested-class data in seed s (and over all owners); top-1: live_s and FI_{−s} put the same such owner first.
      * With one seed there is no FI_{−s}: τ and the ceiling are null, and top-1 is judged against the seed's own full
      * information, the only reference there is.
      */
    static Results.SeedRanking seedRanking(List<SeedRun> runs, List<double[]> gains, int s) {
        SeedRun run = runs.get(s);
        if (runs.size() < 2) {
            double[] live = RankingMetrics.masked(run.mycroftScores(), run.hasRequestedClasses());
            Boolean top1 = live.length == 0 ? null
                    : RankingMetrics.top1Correct(live, RankingMetrics.masked(gains.get(s), run.hasRequestedClasses()));
            return new Results.SeedRanking(run.seed(), null, null, null, null, top1);
        }
        double[] others = RankingMetrics.leaveOneOutMean(gains, s);
        boolean[] keep = run.hasRequestedClasses();
        double[] live = RankingMetrics.masked(run.mycroftScores(), keep);
        double[] own = RankingMetrics.masked(gains.get(s), keep);
        double[] reference = RankingMetrics.masked(others, keep);
        Boolean top1 = live.length == 0 ? null : RankingMetrics.top1Correct(live, reference);
        return new Results.SeedRanking(run.seed(), RankingMetrics.tauOrNull(live, reference),
                RankingMetrics.tauOrNull(own, reference), RankingMetrics.tauOrNull(run.mycroftScores(), others),
                RankingMetrics.tauOrNull(gains.get(s), others), top1);
    }

    private static Map<String, Double> scoresOf(SeedRun r, int owner) {
        Map<String, Double> out = new LinkedHashMap<>();
        r.ownerScores().forEach((name, scores) -> out.put(name, scores[owner]));
        return out;
    }

    /**
     * Every owner score every seed measured, judged like with like as {@link #seedRanking} judges the live one; none
     * with fewer than 2 seeds.
     */
    static List<Results.ScoreRanking> scoreRankings(List<SeedRun> runs, List<double[]> gains, List<Results.SeedRanking> live) {
        List<Results.ScoreRanking> out = new ArrayList<>();
        if (runs.size() < 2) {
            return out;
        }
        for (String name : runs.get(0).ownerScores().keySet()) {
            if (runs.stream().allMatch(r -> r.ownerScores().containsKey(name))) {
                out.add(scoreRanking(name, runs, gains, live));
            }
        }
        return out;
    }

    private static Results.ScoreRanking scoreRanking(String name, List<SeedRun> runs, List<double[]> gains,
                                                     List<Results.SeedRanking> live) {
        List<Double> taus = new ArrayList<>();
        List<Double> minusLive = new ArrayList<>();
        int top1 = 0;
        for (int s = 0; s < runs.size(); s++) {
            boolean[] keep = runs.get(s).hasRequestedClasses();
            double[] group = RankingMetrics.masked(runs.get(s).ownerScores().get(name), keep);
            double[] reference = RankingMetrics.masked(RankingMetrics.leaveOneOutMean(gains, s), keep);
            Double tau = RankingMetrics.tauOrNull(group, reference);
            if (tau != null) {
                taus.add(tau);
                if (live.get(s).tau() != null) {
                    minusLive.add(tau - live.get(s).tau());
                }
            }
            if (group.length > 0 && RankingMetrics.top1Correct(group, reference)) {
                top1++;
            }
        }
        double[] t = taus.stream().mapToDouble(Double::doubleValue).toArray();
        double[] d = minusLive.stream().mapToDouble(Double::doubleValue).toArray();
        return new Results.ScoreRanking(name, mean(t), t.length == 0 ? null : Spread.of(t),
                d.length == 0 ? null : Bootstrap.meanInterval(d), top1 / (double) runs.size());
    }

    /** The budget of the per-owner selections (the primary request's); without any, the top owner's budget nearest 10%. */
    private static int headlineBudget(List<SeedRun> runs, String primaryMethod, List<Results.AccuracyRow> accuracies) {
        return runs.get(0).selections().stream().filter(x -> x.method().equals(primaryMethod))
                .mapToInt(SeedRun.Selection::budget).max()
                .orElseGet(() -> accuracies.stream().filter(r -> r.method().equals(primaryMethod))
                        .min((a, b) -> Double.compare(Math.abs(a.sharedFraction().mean() - Results.GAIN_RECOVERY_FRACTION),
                                Math.abs(b.sharedFraction().mean() - Results.GAIN_RECOVERY_FRACTION)))
                        .orElseThrow().budget());
    }

    /**
      * 2.8 · sd/√n of the paired per-seed differences (points), but never below one held-out sample's worth of
      * accuracy (100/|held-out D_hard|): smaller differences cannot be told from noise here. Null below 2 seeds.
      */
    static Double detectableDifference(Spread paired, List<SeedRun> runs) {
        if (paired == null || paired.n() < 2) {
            return null;
        }
        double heldOut = runs.stream().mapToInt(SeedRun::heldOutHardSize).average().orElse(0);
        double resolution = heldOut > 0 ? 100.0 / heldOut : 0;
        return Math.max(DETECTABLE_Z * paired.std() / Math.sqrt(paired.n()), resolution);
    }

    /** Every (owner, method) against random at the same budget, over the seeds where both were measured. */
    private static List<Results.OwnerVsRandom> vsRandomByOwner(List<String> owners, List<Results.SelectionRow> selections,
                                                               List<SeedRun> runs) {
        List<Results.OwnerVsRandom> rows = new ArrayList<>();
        Map<String, Results.SelectionRow> byKey = new LinkedHashMap<>();
        selections.forEach(x -> byKey.put(x.seed() + "|" + x.owner() + "|" + x.method() + "|" + x.budget()
                + (x.matchedTo() == null ? "" : "|" + x.matchedTo()), x));
        for (String owner : owners) {
            Map<String, Set<Integer>> methods = new TreeMap<>();
            selections.stream().filter(x -> x.owner().equals(owner) && !x.method().equals(RANDOM))
                    .forEach(x -> methods.computeIfAbsent(x.method(), k -> new java.util.TreeSet<>()).add(x.budget()));
            methods.forEach((method, budgets) -> budgets.forEach(budget -> {
                List<double[]> pairs = new ArrayList<>(); // {points, shared by the method, shared by random}
                for (SeedRun run : runs) {
                    Results.SelectionRow m = byKey.get(run.seed() + "|" + owner + "|" + method + "|" + budget);
                    String random = run.seed() + "|" + owner + "|" + RANDOM + "|" + budget;
                    Results.SelectionRow r = byKey.getOrDefault(random + "|" + method, byKey.get(random));
                    if (m != null && r != null) {
                        pairs.add(new double[] {100 * (m.heldOutHard() - r.heldOutHard()), m.shared(), r.shared()});
                    }
                }
                if (!pairs.isEmpty()) {
                    rows.add(new Results.OwnerVsRandom(owner, method, budget,
                            Bootstrap.meanInterval(pairs.stream().mapToDouble(p -> p[0]).toArray()),
                            pairs.stream().mapToDouble(p -> p[1]).average().orElseThrow(),
                            pairs.stream().mapToDouble(p -> p[2]).average().orElseThrow()));
                }
            }));
        }
        return rows;
    }

    private static double[] present(List<Results.SeedRanking> rows, java.util.function.Function<Results.SeedRanking, Double> f) {
        return rows.stream().map(f).filter(java.util.Objects::nonNull).mapToDouble(Double::doubleValue).toArray();
    }

    private static Double mean(double[] values) {
        return values.length == 0 ? null : java.util.Arrays.stream(values).average().orElseThrow();
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
            if (run.mycroftScores().length != owners.size() || run.fullInformationScores().length != owners.size()
                    || run.hasRequestedClasses().length != owners.size()) {
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
