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
