package io.mycroft.experiments.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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

    private static SeedRun run(long seed, double[] mycroft, double[] full, double mtHeld, double g16, double g32,
                                                          double r16, double r32) {
        return new SeedRun(seed, mycroft, full, new Accuracy(mtHeld, 0.7), List.of(
                new Measurement("GRADIENT", 16, new Accuracy(g16, 0.75), 0.08),
                new Measurement("GRADIENT", 32, new Accuracy(g32, 0.76), 0.16),
                new Measurement("RANDOM", 16, new Accuracy(r16, 0.72), 0.08),
                new Measurement("RANDOM", 32, new Accuracy(r32, 0.74), 0.16),
                new Measurement("FULL_INFORMATION", 0, new Accuracy(0.70, 0.80), 1.0)));
    }

    static List<SeedRun> runs() {
        return List.of(
                run(1, new double[] {0.9, 0.5, 0.1}, new double[] {0.80, 0.70, 0.60}, 0.30, 0.40, 0.50, 0.35, 0.52),
                run(2, new double[] {0.8, 0.6, 0.2}, new double[] {0.75, 0.72, 0.55}, 0.32, 0.42, 0.52, 0.36, 0.53),
                run(3, new double[] {0.4, 0.7, 0.3}, new double[] {0.70, 0.71, 0.50}, 0.28, 0.44, 0.48, 0.37, 0.51));
    }

    @Test
    void headlineNumbersFromHandComputedCase() {
        Results r = ResultsCalculator.compute("hand", "letter", OWNERS, "GRADIENT", runs());
        // τ per seed vs mean full information (a > b > c): 1, 1, 1/3
        assertThat(r.kendallTau()).isCloseTo(7.0 / 9, within(1e-12));
        // full information across seeds: τ(1,2) = 1, τ(1,3) = τ(2,3) = 1/3
        assertThat(r.noiseCeilingTau()).isCloseTo(5.0 / 9, within(1e-12));
        assertThat(r.top1Correct()).isTrue();
        assertThat(r.top1CorrectRate()).isCloseTo(2.0 / 3, within(1e-12));
        assertThat(r.headlineBudget()).isEqualTo(16); // shared 8 % is nearest 10 %
        assertThat(r.gainRecovery()).isCloseTo((0.42 - 0.30) / (0.70 - 0.30), within(1e-12));
        assertThat(r.vsRandomPoints().mean()).isCloseTo(6.0, within(1e-9));
        assertThat(r.vsRandomByBudget()).hasSize(2);
        assertThat(r.notBetterThanRandom()).singleElement().satisfies(v -> {
            assertThat(v.method()).isEqualTo("GRADIENT");
            assertThat(v.budget()).isEqualTo(32);
            assertThat(v.points().mean()).isCloseTo(-2.0, within(1e-9));
        });
        assertThat(r.targets()).isEqualTo(new Results.Targets(true, true, true, false));
        assertThat(r.ranking()).extracting(Results.OwnerRow::owner).containsExactly("owner-a", "owner-b", "owner-c");
        assertThat(r.ranking().get(0).mycroftRank()).isEqualTo(1);
        assertThat(r.accuracies()).extracting(a -> a.method() + "@" + a.budget())
                .containsExactly("GRADIENT@16", "GRADIENT@32", "RANDOM@16", "RANDOM@32", "FULL_INFORMATION@0");
    }

    @Test
    void oneSeedHasNoNoiseCeiling() {
        Results r = ResultsCalculator.compute("one", "letter", OWNERS, "GRADIENT", runs().subList(0, 1));
        assertThat(r.noiseCeilingTau()).isNull();
        assertThat(r.targets().tauAtLeastNoiseCeiling()).isNull();
        assertThat(r.kendallTauBySeed().std()).isZero();
    }

    @Test
    void ranksBreakTiesByOwnerOrder() {
        assertThat(ResultsCalculator.ranks(new double[] {0.5, 0.9, 0.5, 0.1})).containsExactly(2, 1, 3, 4);
    }

    @Test
    void inconsistentRunsAreRejected() {
        List<SeedRun> runs = new java.util.ArrayList<>(runs());
        runs.set(2, new SeedRun(3, new double[] {1, 2, 3}, new double[] {1, 2, 3}, new Accuracy(0.3, 0.7),
                runs.get(2).measurements().subList(0, 4)));
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
        assertThat(json.fieldNames()).toIterable().startsWith("scenario", "dataset", "seeds");
    }

    @Test
    void markdownStatesTargetsAndWhereRandomWins(@TempDir Path tmp) throws IOException {
        Results r = ResultsCalculator.compute("hand", "letter", OWNERS, "GRADIENT", runs());
        Path md = MarkdownReport.write(r, "A hand-computed case.",
                List.of(new MarkdownReport.Chart("accuracy-vs-budget.png", "Accuracy vs budget")), tmp.resolve("README.md"));
        String text = Files.readString(md);
        assertThat(text).startsWith("# Scenario `hand`\n\nA hand-computed case.")
                .contains("| Kendall τ vs full information | 0.778 ± 0.385 | ≥ noise ceiling (0.556) | **met** |")
                .contains("| Gain recovery | 30.0 % | ≥ 50.0 % | **not met** |")
                .contains("**Where Mycroft does not beat random:** GRADIENT at B = 32 (-2.0 points).")
                .contains("| owner-a | 0.700 | 1 | 75.0 % | 1 |")
                .contains("| FULL_INFORMATION | all | 70.0 ± 0.0 % | 80.0 ± 0.0 % | 100.0 % |")
                .contains("![Accuracy vs budget](accuracy-vs-budget.png)");
    }
}
