package io.mycroft.experiments.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mycroft.experiments.metrics.Bootstrap;
import io.mycroft.experiments.report.SeedRun.Accuracy;
import io.mycroft.experiments.report.SeedRun.Measurement;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ResultsTest {
    static final List<String> OWNERS = List.of("owner-a", "owner-b", "owner-c");

    private static final boolean[] ALL = {true, true, true};

    private static SeedRun run(long seed, double[] mycroft, double[] full, double mtHeld, double g16, double g32,
                               double r16, double r32) {
        return new SeedRun(seed, mycroft, full, ALL, 40, new Accuracy(mtHeld, 0.7), List.of(
                new Measurement("GRADIENT", 16, new Accuracy(g16, 0.75), 16, 0.08),
                new Measurement("GRADIENT", 32, new Accuracy(g32, 0.76), 32, 0.16),
                new Measurement("RANDOM", 16, new Accuracy(r16, 0.72), 16, 0.08),
                new Measurement("RANDOM", 32, new Accuracy(r32, 0.74), 32, 0.16),
                new Measurement("FULL_INFORMATION", 0, new Accuracy(0.70, 0.80), 200, 1.0)), List.of(), null, null);
    }

    static List<SeedRun> runs() {
        return List.of(
                run(1, new double[] {0.9, 0.5, 0.1}, new double[] {0.80, 0.70, 0.60}, 0.30, 0.40, 0.50, 0.35, 0.52),
                run(2, new double[] {0.8, 0.6, 0.2}, new double[] {0.75, 0.72, 0.55}, 0.32, 0.42, 0.52, 0.36, 0.53),
                run(3, new double[] {0.4, 0.7, 0.3}, new double[] {0.70, 0.71, 0.50}, 0.28, 0.44, 0.48, 0.37, 0.51));
    }

    @Test
    void otherOwnerScoresAreJudgedLikeTheLiveScores() {
        double[][] group = {{0.1, 0.5, 0.9}, {3, 2, 1}, {2, 1, 3}};
        List<SeedRun> runs = new java.util.ArrayList<>();
        for (SeedRun r : runs()) {
            runs.add(new SeedRun(r.seed(), r.mycroftScores(), r.fullInformationScores(), r.hasRequestedClasses(),
                    r.heldOutHardSize(), r.modelTrainerOnly(), r.measurements(), r.selections(), r.pipeline(),
                    java.util.Map.of("GGDA", group[(int) r.seed() - 1])));
        }
        Results r = ResultsCalculator.compute("hand", "letter", OWNERS, "GRADIENT", runs);
        // Every FI_{−s} orders a > b > c: τ_s(group_s, FI_{−s}) = −1, 1, −1/3; the live τ_s are 1, 1, 1/3.
        Results.ScoreRanking ggda = r.rankingByScore().get(0);
        assertThat(ggda.score()).isEqualTo("GGDA");
        assertThat(ggda.kendallTau()).isCloseTo(-1.0 / 9, within(1e-12));
        assertThat(ggda.tauMinusLive().mean()).isCloseTo(-8.0 / 9, within(1e-12));
        assertThat(ggda.top1CorrectRate()).isCloseTo(1.0 / 3, within(1e-12));
        assertThat(r.perSeed()).extracting(o -> o.scores().get("GGDA")).startsWith(0.1, 0.5, 0.9, 3.0);
        assertThat(ResultsCalculator.compute("hand", "letter", OWNERS, "GRADIENT", runs()).rankingByScore()).isEmpty();
    }

    @Test
    void headlineNumbersFromHandComputedCase() {
        Results r = ResultsCalculator.compute("hand", "letter", OWNERS, "GRADIENT", runs());
        // FI gains: s1 (.50, .40, .30), s2 (.43, .40, .23), s3 (.42, .43, .22); every FI_{−s} orders a > b > c.
        // τ_s(live_s, FI_{−s}): 1, 1, 1/3; ceiling_s(FI_s, FI_{−s}): 1, 1, 1/3.
        assertThat(r.kendallTau()).isCloseTo(7.0 / 9, within(1e-12));
        assertThat(r.noiseCeilingTau()).isCloseTo(7.0 / 9, within(1e-12));
        assertThat(r.tauMinusCeiling()).isEqualTo(new Bootstrap.Interval(0, 0, 0, 3));
        assertThat(r.rankingBySeed()).extracting(Results.SeedRanking::top1Correct).containsExactly(true, true, false);
        assertThat(r.top1Correct()).isTrue();
        assertThat(r.top1CorrectRate()).isCloseTo(2.0 / 3, within(1e-12));
        // paired points 5, 6, 7: 2.8 · 1/√3 = 1.6 < one held-out sample of 40 = 2.5 points
        assertThat(r.detectableDifferencePoints()).isCloseTo(2.5, within(1e-12));
        assertThat(r.budgetHonoured()).isTrue();
        assertThat(r.headlineBudget()).isEqualTo(16); // shared 8 % is nearest 10 %
        assertThat(r.gainRecovery()).isCloseTo((0.42 - 0.30) / (0.70 - 0.30), within(1e-12));
        assertThat(r.vsRandomPoints().mean()).isCloseTo(6.0, within(1e-9));
        assertThat(r.vsRandomByBudget()).hasSize(2);
        assertThat(r.notBetterThanRandom()).singleElement().satisfies(v -> {
            assertThat(v.method()).isEqualTo("GRADIENT");
            assertThat(v.budget()).isEqualTo(32);
            assertThat(v.points().mean()).isCloseTo(-2.0, within(1e-9));
        });
        assertThat(r.targets()).isEqualTo(new Results.Targets(true, true, true, false, true));
        assertThat(r.ranking()).extracting(Results.OwnerRow::owner).containsExactly("owner-a", "owner-b", "owner-c");
        assertThat(r.ranking().get(0).mycroftRank()).isEqualTo(1);
        assertThat(r.accuracies()).extracting(a -> a.method() + "@" + a.budget())
                .containsExactly("GRADIENT@16", "GRADIENT@32", "RANDOM@16", "RANDOM@32", "FULL_INFORMATION@0");
    }

    @Test
    void oneSeedHasNoNoiseCeiling() {
        Results r = ResultsCalculator.compute("one", "letter", OWNERS, "GRADIENT", runs().subList(0, 1));
        assertThat(r.kendallTau()).isNull();
        assertThat(r.noiseCeilingTau()).isNull();
        assertThat(r.targets().tauAtLeastNoiseCeiling()).isNull();
        assertThat(r.detectableDifferencePoints()).isNull();
        // seed 1's live top (owner-a) is its own full information's top: the only reference one seed has
        assertThat(r.top1CorrectRate()).isEqualTo(1.0);
    }

    @Test
    void ranksBreakTiesByOwnerOrder() {
        assertThat(ResultsCalculator.ranks(new double[] {0.5, 0.9, 0.5, 0.1})).containsExactly(2, 1, 3, 4);
    }

    @Test
    void inconsistentRunsAreRejected() {
        List<SeedRun> runs = new java.util.ArrayList<>(runs());
        runs.set(2, new SeedRun(3, new double[] {1, 2, 3}, new double[] {1, 2, 3}, ALL, 40, new Accuracy(0.3, 0.7),
                runs.get(2).measurements().subList(0, 4), List.of(), null, null));
        assertThatThrownBy(() -> ResultsCalculator.compute("x", "letter", OWNERS, "GRADIENT", runs))
                .hasMessageContaining("seed 3 measures 4 (method, budget) pairs");
        assertThatThrownBy(() -> ResultsCalculator.compute("x", "letter", OWNERS, "FUNCFEAT", runs()))
                .hasMessageContaining("primary method FUNCFEAT");
    }

    @Test
    void jsonRoundTripsWithTheIssueFieldNames(@TempDir Path tmp) throws IOException {
        Results r = ResultsCalculator.compute("hand", "letter", OWNERS, "GRADIENT", runs());
        Path file = ResultsJson.write(r, tmp.resolve("reports/hand/results.json"));
        assertThat(ResultsJson.read(file)).isEqualTo(r);
        JsonNode json = new ObjectMapper().readTree(file.toFile());
        assertThat(json.get("kendall_tau").asDouble()).isCloseTo(7.0 / 9, within(1e-12));
        assertThat(json.get("noise_ceiling_tau").isNumber()).isTrue();
        assertThat(json.get("top1_correct").asBoolean()).isTrue();
        assertThat(json.get("gain_recovery").asDouble()).isCloseTo(0.3, within(1e-12));
        assertThat(json.get("vs_random_points").get("mean").asDouble()).isCloseTo(6, within(1e-9));
        assertThat(json.get("accuracies").get(0).get("held_out_hard").get("std").isNumber()).isTrue();
        assertThat(json.get("targets").get("beats_random_by5_points")).isNotNull();
        assertThat(json.get("default_method").asText()).isEqualTo("GRADIENT");
        assertThat(json.get("per_seed")).hasSize(9);
        assertThat(json.get("budget_honoured").asBoolean()).isTrue();
        assertThat(json.fieldNames()).toIterable().startsWith("scenario", "dataset", "seeds");
    }

    @Test
    void markdownStatesTargetsAndWhereRandomWins(@TempDir Path tmp) throws IOException {
        Results r = ResultsCalculator.compute("hand", "letter", OWNERS, "GRADIENT", runs());
        Path md = MarkdownReport.write(r, "A hand-computed case.",
                List.of(new MarkdownReport.Chart("accuracy-vs-budget.png", "Accuracy vs budget")), tmp.resolve("README.md"));
        String text = Files.readString(md);
        assertThat(text).startsWith("# Scenario `hand`\n\nA hand-computed case.")
                .contains("| Kendall τ vs full information (like with like) | 0.778 ± 0.385 | ≥ noise ceiling (0.778) | **met** |")
                .contains("| Gain recovery | 30.0 % | ≥ 50.0 % | **not met** |")
                .contains("**Where Mycroft does not beat random:** GRADIENT at B = 32 (-2.0 points).")
                .contains("| owner-a | 0.700 | 1 | 75.0 % | 1 |")
                .contains("| FULL_INFORMATION | all | 70.0 ± 0.0 % | 80.0 ± 0.0 % | 100.0 % |")
                .contains("![Accuracy vs budget](accuracy-vs-budget.png)");
    }

    /** Owner c holds no requested-class data: live 0 and gain 0 on every seed, so it agrees with everything. */
    static List<SeedRun> runsWithAnOwnerOutside() {
        boolean[] ab = {true, true, false};
        return List.of(
                new SeedRun(1, new double[] {0.9, 0.5, 0}, new double[] {0.80, 0.70, 0.30}, ab, 40, new Accuracy(0.30, 0.7),
                        List.of(new Measurement("GRADIENT", 16, new Accuracy(0.4, 0.7), 16, 0.1)), List.of(
                                new SeedRun.Selection("owner-a", "GRADIENT", 16, 16, 0.40, 1.0, null, 0),
                                new SeedRun.Selection("owner-a", "RANDOM", 16, 16, 0.35, 0.9, null, 0),
                                new SeedRun.Selection("owner-b", "GRADIENT", 16, 17, 0.33, 0.5, null, 3),
                                new SeedRun.Selection("owner-b", "RANDOM", 16, 16, 0.36, 0.5, null, 0),
                                new SeedRun.Selection("owner-b", "RANDOM", 16, 17, 0.30, 0.5, "GRADIENT", 0)), null, null),
                new SeedRun(2, new double[] {0.4, 0.6, 0}, new double[] {0.75, 0.72, 0.32}, ab, 40, new Accuracy(0.32, 0.7),
                        List.of(new Measurement("GRADIENT", 16, new Accuracy(0.4, 0.7), 16, 0.1)), List.of(
                                new SeedRun.Selection("owner-a", "GRADIENT", 16, 16, 0.42, 1.0, null, 0),
                                new SeedRun.Selection("owner-a", "RANDOM", 16, 16, 0.34, 0.8, null, 0)), null, null));
    }

    @Test
    void ownersWithoutRequestedDataAreOutsideTheHeadlineAndBesideIt() {
        Results r = ResultsCalculator.compute("outside", "letter", OWNERS, "GRADIENT", runsWithAnOwnerOutside());
        // gains s1 (.50, .40, 0), s2 (.43, .40, 0): FI_{−1} = s2's, FI_{−2} = s1's.
        // Headline (a, b): τ_1 = 1, τ_2 = −1; ceilings 1, 1. All owners: τ_1 = 1, τ_2 = 1/3 (c agrees twice).
        assertThat(r.kendallTau()).isCloseTo(0, within(1e-12));
        assertThat(r.noiseCeilingTau()).isCloseTo(1, within(1e-12));
        assertThat(r.kendallTauAllOwners()).isCloseTo(2.0 / 3, within(1e-12));
        assertThat(r.targets().tauAtLeastNoiseCeiling()).isFalse();
        assertThat(r.tauMinusCeiling().mean()).isCloseTo(-1, within(1e-12));
        assertThat(r.top1CorrectRate()).isCloseTo(0.5, within(1e-12));
        assertThat(r.headlineBudget()).isEqualTo(16);
        // owner-b's GRADIENT subset shared 17 > 16: the budget was not honoured.
        assertThat(r.budgetHonoured()).isFalse();
        assertThat(r.vsRandomByOwner()).extracting(v -> v.owner() + " " + v.method() + " " + v.points().n())
                .containsExactly("owner-a GRADIENT 2", "owner-b GRADIENT 1");
        assertThat(r.vsRandomByOwner().get(0).points().mean()).isCloseTo(6.5, within(1e-9));
        // owner-b's GRADIENT is judged against random at its own 17 samples (0.30), not the budget's 16 (0.36)
        assertThat(r.vsRandomByOwner().get(1).points().mean()).isCloseTo(3.0, within(1e-9));
        assertThat(r.vsRandomByOwner().get(1).sharedRandom()).isEqualTo(17);
    }

    /** Every headline number again, from results.json's per-seed rows alone (what another tool would do). */
    @Test
    void headlinesRecomputeFromThePerSeedRows(@TempDir Path tmp) throws IOException {
        Results r = ResultsCalculator.compute("outside", "letter", OWNERS, "GRADIENT", runsWithAnOwnerOutside());
        JsonNode json = new ObjectMapper().readTree(ResultsJson.write(r, tmp.resolve("results.json")).toFile());
        List<Long> seeds = new java.util.ArrayList<>();
        json.get("seeds").forEach(s -> seeds.add(s.asLong()));
        double tauSum = 0;
        double ceilingSum = 0;
        int top1 = 0;
        for (long seed : seeds) {
            List<JsonNode> own = new java.util.ArrayList<>();
            java.util.Map<String, Double> others = new java.util.LinkedHashMap<>();
            for (JsonNode row : json.get("per_seed")) {
                if (row.get("seed").asLong() == seed && row.get("has_requested_classes").asBoolean()) {
                    own.add(row);
                } else if (row.get("seed").asLong() != seed) {
                    others.merge(row.get("owner").asText(), row.get("full_information_gain").asDouble() / (seeds.size() - 1),
                            Double::sum);
                }
            }
            double[] live = own.stream().mapToDouble(o -> o.get("live_score").asDouble()).toArray();
            double[] gain = own.stream().mapToDouble(o -> o.get("full_information_gain").asDouble()).toArray();
            double[] reference = own.stream().mapToDouble(o -> others.get(o.get("owner").asText())).toArray();
            tauSum += io.mycroft.experiments.metrics.KendallTau.tauB(live, reference);
            ceilingSum += io.mycroft.experiments.metrics.KendallTau.tauB(gain, reference);
            top1 += io.mycroft.experiments.metrics.RankingMetrics.top(live)
                    == io.mycroft.experiments.metrics.RankingMetrics.top(reference) ? 1 : 0;
        }
        assertThat(json.get("kendall_tau").asDouble()).isCloseTo(tauSum / seeds.size(), within(1e-12));
        assertThat(json.get("noise_ceiling_tau").asDouble()).isCloseTo(ceilingSum / seeds.size(), within(1e-12));
        assertThat(json.get("top1_correct_rate").asDouble()).isCloseTo(top1 / (double) seeds.size(), within(1e-12));
        double points = 0;
        int n = 0;
        for (JsonNode m : json.get("selections")) {
            if (m.get("owner").asText().equals("owner-a") && m.get("method").asText().equals("GRADIENT")) {
                for (JsonNode x : json.get("selections")) {
                    if (x.get("seed").equals(m.get("seed")) && x.get("owner").equals(m.get("owner"))
                            && x.get("method").asText().equals("RANDOM") && x.get("budget").equals(m.get("budget"))) {
                        points += 100 * (m.get("held_out_hard").asDouble() - x.get("held_out_hard").asDouble());
                        n++;
                    }
                }
            }
        }
        assertThat(json.get("vs_random_by_owner").get(0).get("points").get("mean").asDouble()).isCloseTo(points / n, within(1e-9));
        boolean honoured = true;
        for (JsonNode x : json.get("selections")) {
            honoured &= x.get("shared").asInt() <= x.get("budget").asInt();
        }
        assertThat(json.get("budget_honoured").asBoolean()).isEqualTo(honoured);
        int copies = 0;
        for (JsonNode x : json.get("selections")) {
            copies += x.get("copies").asInt();
        }
        assertThat(copies).as("the one selection with copies").isEqualTo(3);
    }
}
