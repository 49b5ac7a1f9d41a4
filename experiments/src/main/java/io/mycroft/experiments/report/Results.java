package io.mycroft.experiments.report;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import io.mycroft.experiments.metrics.Bootstrap;
import io.mycroft.experiments.metrics.Spread;
import java.util.List;
import java.util.Map;

/**
  * Every number of one scenario's run, saved as {@code reports/<name>/results.json} (snake_case keys; other tools read
  * these names). Nulls mean "not measurable here" (e.g. a noise ceiling needs ≥ 2 seeds) and are written as JSON null,
  * never as a made-up number. Every headline can be recomputed from {@code perSeed} and {@code selections}.
  *
  * @param defaultMethod the method the headline numbers are about (the product's default; {@code primaryMethod} too)
  * @param kendallTau like with like (DESIGN §3): mean over seeds s of τ_b(live scores of s, FI_{−s}), over the owners
  *     holding data of the requested classes; FI_{−s} = mean full-information gain of the other seeds
  * @param noiseCeilingTau mean over seeds of τ_b(FI_s, FI_{−s}), the same owners
  * @param tauMinusCeiling per-seed τ_s − ceiling_s, its mean and 95% bootstrap interval
  * @param rankingBySeed each seed's τ, ceiling (headline owners and all owners) and top-1
  * @param rankingByScore other owner scores judged like the live score (each method at the primary budget, GGDA)
  * @param top1Correct the live top owner is FI_{−s}'s top owner in at least 2/3 of the seeds
  * @param gainRecovery (primary method's held-out D_hard gain over the MT alone) ÷ (full information's gain), on the
  *     top owner at the headline budget
  * @param vsRandomPoints primary method minus random on each seed's top owner at {@code headlineBudget}, percentage
  *     points, paired by seed; null when the scenario runs no random baseline
  * @param detectableDifferencePoints the smallest method − random difference these seeds and held-out sizes can detect
  *     (two-sided 5%, power 80%: 2.8 · sd/√n of the paired differences, at least one held-out sample)
  * @param budgetHonoured no subset anywhere shares more samples than its budget
  * @param vsRandomByOwner every method vs random at the headline budget on every owner with requested-class data
  * @param perSeed one row per (seed, owner)
  * @param selections one row per (seed, owner, method or baseline, budget)
  * @param pipeline per seed, how it went through the streaming pipeline (empty when it did not)
  */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonInclude(JsonInclude.Include.ALWAYS)
@JsonPropertyOrder({"scenario", "dataset", "seeds", "owners", "default_method", "primary_method", "headline_budget",
        "kendall_tau", "kendall_tau_by_seed", "kendall_tau_all_owners", "noise_ceiling_tau", "noise_ceiling_tau_all_owners",
        "tau_minus_ceiling", "ranking_by_seed", "top1_correct", "top1_correct_rate", "ranking_by_score", "gain_recovery",
        "gain_recovery_shared_fraction", "vs_random_points", "detectable_difference_points", "budget_honoured", "targets",
        "ranking", "model_trainer_only", "accuracies", "vs_random_by_budget", "vs_random_by_owner",
        "not_better_than_random", "per_seed", "selections", "pipeline"})
public record Results(
        String scenario,
        String dataset,
        List<Long> seeds,
        List<String> owners,
        String defaultMethod,
        String primaryMethod,
        int headlineBudget,
        Double kendallTau,
        Spread kendallTauBySeed,
        Double kendallTauAllOwners,
        Double noiseCeilingTau,
        Double noiseCeilingTauAllOwners,
        Bootstrap.Interval tauMinusCeiling,
        List<SeedRanking> rankingBySeed,
        boolean top1Correct,
        double top1CorrectRate,
        List<ScoreRanking> rankingByScore,
        Double gainRecovery,
        double gainRecoverySharedFraction,
        Spread vsRandomPoints,
        Double detectableDifferencePoints,
        boolean budgetHonoured,
        Targets targets,
        List<OwnerRow> ranking,
        AccuracySpread modelTrainerOnly,
        List<AccuracyRow> accuracies,
        List<VsRandom> vsRandomByBudget,
        List<OwnerVsRandom> vsRandomByOwner,
        List<VsRandom> notBetterThanRandom,
        List<PerSeedOwner> perSeed,
        List<SelectionRow> selections,
        List<SeedPipeline> pipeline) {

    public static final double GAIN_RECOVERY_FRACTION = 0.10;
    public static final double VS_RANDOM_TARGET_POINTS = 5.0;
    public static final double GAIN_RECOVERY_TARGET = 0.5;

    /** The targets, each met or not (null when it cannot be judged, e.g. no noise ceiling with one seed). */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Targets(
            Boolean tauAtLeastNoiseCeiling, boolean top1Correct, Boolean beatsRandomBy5Points,
            Boolean gainRecoveryAtLeastHalf, boolean budgetHonoured) {}

    /** One seed's ranking judged like with like; null where τ is undefined (e.g. one seed: no FI_{−s}). */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record SeedRanking(long seed, Double tau, Double noiseCeiling, Double tauAllOwners, Double noiseCeilingAllOwners,
                              Boolean top1Correct) {}

    /**
     * One (seed, owner): its live score, its full-information gain (held-out D_hard accuracy over the MT alone) and the
     * other owner scores judged ({@link SeedRun#ownerScores}), by name.
     */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record PerSeedOwner(long seed, String owner, boolean hasRequestedClasses, double liveScore,
                               double fullInformationGain, Map<String, Double> scores) {}

    /**
     * One owner score ({@code score}: a method's final score at the primary budget, or "GGDA", the group attribution of
     * {@code GroupAttribution}) judged exactly as the live score: per seed s, τ_b(score_s, FI_{−s}) over the owners
     * holding requested-class data.
     *
     * @param tauMinusLive per seed τ_s(score) − τ_s(live), mean and 95% bootstrap interval
     * @param top1CorrectRate share of seeds whose score puts FI_{−s}'s top owner first
     */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record ScoreRanking(String score, Double kendallTau, Spread kendallTauBySeed, Bootstrap.Interval tauMinusLive,
                               double top1CorrectRate) {}

    /**
     * One (seed, owner, method or baseline, budget): samples actually shared, the fine-tuned accuracy, and how many of
     * the shared samples are copies the owner did not hold fresh ({@link SeedRun.Selection#copies}).
     */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record SelectionRow(long seed, String owner, String method, int budget, int shared, double heldOutHard,
                               Double labelPurity, String matchedTo, int copies) {}

    /**
      * A method minus random on one owner at one budget, percentage points paired by seed, with its 95% interval; random
      * at the method's own shared counts where it shared fewer than the budget (so {@code sharedRandom} = {@code
      * sharedMethod}).
      */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record OwnerVsRandom(String owner, String method, int budget, Bootstrap.Interval points, double sharedMethod,
                                double sharedRandom) {}

    /** One owner: seed-averaged scores and the ranks they give (1 = best; ties by owner order). */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record OwnerRow(String owner, double mycroftScore, int mycroftRank, double fullInformationScore,
                                                  int fullInformationRank) {}

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record AccuracySpread(Spread heldOutHard, Spread test) {}

    /** One (method, budget) over seeds; budget 0 = all of the owner's data (full information). */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record AccuracyRow(String method, int budget, Spread heldOutHard, Spread test, Spread sharedFraction) {}

    /** {@link SeedRun.Pipeline} of one seed. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record SeedPipeline(long seed, SeedRun.Pipeline run) {}

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record VsRandom(String method, int budget, Spread points) {}
}
