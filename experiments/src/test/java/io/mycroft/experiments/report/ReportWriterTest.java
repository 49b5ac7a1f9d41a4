package io.mycroft.experiments.report;

import static org.assertj.core.api.Assertions.assertThat;

import io.mycroft.experiments.report.Charts.Point;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportWriterTest {

    @Test
    void writesResultsChartsAndReadme(@TempDir Path tmp) throws IOException {
        Results r = ResultsCalculator.compute("hand", "letter", ResultsTest.OWNERS, "GRADIENT", ResultsTest.runs());
        Path dir = ReportWriter.write(tmp, r, "Hand-made numbers.",
                Map.of("owner-a", List.of(new Point(0, 2), new Point(3, 1)), "owner-b", List.of(new Point(0, 1),
                        new Point(3, 2))),
                Map.of());
        assertThat(dir).isEqualTo(tmp.resolve("hand"));
        assertThat(dir.resolve("results.json")).exists();
        assertThat(dir.resolve(ReportWriter.ACCURACY_HARD_PNG)).exists();
        assertThat(dir.resolve(ReportWriter.ACCURACY_TEST_PNG)).exists();
        assertThat(dir.resolve(ReportWriter.RANKING_PNG)).exists();
        assertThat(dir.resolve(ReportWriter.RESIDUAL_PNG)).doesNotExist();
        assertThat(Files.readString(dir.resolve("README.md")))
                .contains("![Owner ranking over time](ranking-over-time.png)")
                .doesNotContain(ReportWriter.RESIDUAL_PNG);
    }

    /** A private run's accounting (the primary request's, as published) is in results.json and in the README. */
    @Test
    void aPrivateRunShowsItsAccounting(@TempDir Path tmp) throws IOException {
        SeedRun.Privacy privacy = new SeedRun.Privacy(4, 1e-5, 1, 0, 0, 2.0, 2.1617, "analytic Gaussian mechanism");
        List<SeedRun> runs = ResultsTest.runs().stream().map(r -> new SeedRun(r.seed(), r.mycroftScores(),
                r.fullInformationScores(), r.hasRequestedClasses(), r.heldOutHardSize(), r.modelTrainerOnly(), r.measurements(),
                r.selections(), new SeedRun.Pipeline(2, 3, 360, 1440, 6, 6, List.of(), "q-s" + r.seed(), true, 7.5, privacy), null)).toList();
        Results r = ResultsCalculator.compute("private", "letter", ResultsTest.OWNERS, "GRADIENT", runs);
        Path dir = ReportWriter.write(tmp, r, "Hand-made numbers.", Map.of(), Map.of());
        assertThat(Files.readString(dir.resolve("results.json"))).contains("\"embedding_noise_std\" : 2.1617");
        assertThat(Files.readString(dir.resolve("README.md"))).contains("- seed 1: `q-s1` is (ε = 4.00, δ = 1.0E-5)-differentially "
                + "private, C = 1.00: embedding sums σ = 2.162 (Δ = 2.00); analytic Gaussian mechanism.");
    }

    @Test
    void fullInformationIsAFlatLineAcrossBudgets() {
        Results r = ResultsCalculator.compute("hand", "letter", ResultsTest.OWNERS, "GRADIENT", ResultsTest.runs());
        var series = ReportWriter.byMethod(r, Results.AccuracyRow::heldOutHard);
        assertThat(series).containsOnlyKeys("Mycroft gradient", "random", "full information (all data)");
        assertThat(series.get("full information (all data)")).extracting(Charts.BudgetAccuracy::budget)
                .containsExactly(16, 32);
        assertThat(series.get("Mycroft gradient")).extracting(b -> b.accuracy().mean())
                .containsExactly(0.42, 0.5);
    }
}
