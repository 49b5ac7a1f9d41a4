package io.mycroft.experiments.report;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import io.mycroft.experiments.metrics.Spread;
import java.util.List;

/**
  * Every number of one scenario's run, saved as {@code reports/<name>/results.json} (snake_case keys). Headline fields
  * are those issue 8 names; nulls mean "not measurable here" (e.g. a noise ceiling needs ≥ 2 seeds) and are written as
  * JSON null, never as a made-up number.
  *
  * @param kendallTau mean over seeds of τ-b(Mycroft's ranking, full information averaged over seeds)
  * @param noiseCeilingTau mean pairwise τ-b of the full-information rankings of different seeds
  * @param top1Correct Mycroft's seed-averaged top owner is full information's seed-averaged top owner
  * @param gainRecovery (primary method's held-out D_hard gain over the MT alone) ÷ (full information's gain), at the
  *     budget whose shared fraction is nearest {@link #GAIN_RECOVERY_FRACTION}
  * @param vsRandomPoints primary method minus random at {@code headlineBudget}, percentage points, paired by seed;
  *     null when the scenario runs no random baseline
  * @param pipeline per seed, how it went through the streaming pipeline (empty when it did not)
  */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonInclude(JsonInclude.Include.ALWAYS)
@JsonPropertyOrder({"scenario", "dataset", "seeds", "owners", "primary_method", "headline_budget", "kendall_tau",
        "kendall_tau_by_seed", "noise_ceiling_tau", "top1_correct", "top1_correct_rate", "gain_recovery",
        "gain_recovery_shared_fraction", "vs_random_points", "targets", "ranking", "model_trainer_only", "accuracies",
        "vs_random_by_budget", "not_better_than_random", "pipeline"})
public record Results(
        String scenario,
        String dataset,
        List<Long> seeds,
        List<String> owners,
        String primaryMethod,
        int headlineBudget,
        double kendallTau,
        Spread kendallTauBySeed,
        Double noiseCeilingTau,
        boolean top1Correct,
        double top1CorrectRate,
        Double gainRecovery,
        double gainRecoverySharedFraction,
        Spread vsRandomPoints,
        Targets targets,
        List<OwnerRow> ranking,
        AccuracySpread modelTrainerOnly,
        List<AccuracyRow> accuracies,
        List<VsRandom> vsRandomByBudget,
        List<VsRandom> notBetterThanRandom,
        List<SeedPipeline> pipeline) {

    public static final double GAIN_RECOVERY_FRACTION = 0.10;
    public static final double VS_RANDOM_TARGET_POINTS = 5.0;
    public static final double GAIN_RECOVERY_TARGET = 0.5;

    /** Issue 8's targets, each met or not (null when it cannot be judged, e.g. no noise ceiling with one seed). */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Targets(
            Boolean tauAtLeastNoiseCeiling, boolean top1Correct, Boolean beatsRandomBy5Points,
            Boolean gainRecoveryAtLeastHalf) {}

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
