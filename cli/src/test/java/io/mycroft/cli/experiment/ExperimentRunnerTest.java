package io.mycroft.cli.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mycroft.experiments.report.ReportWriter;
import io.mycroft.experiments.scenario.ScenarioParser;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The runner on the shipped quick scenario, two seeds (so the noise ceiling is measurable): a whole report. */
class ExperimentRunnerTest {
    @Test
    @Timeout(60)
    void quickScenarioWritesResultsWithTheHeadlineNumbers(@TempDir Path tmp) throws Exception {
        Path repo = Path.of("").toAbsolutePath().getParent();
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        new ExperimentRunner(new ExperimentRunner.Settings(repo.resolve("data"), tmp.resolve("work"), tmp.resolve("reports"),
                List.of(1L, 2L)), new PrintStream(log, true, StandardCharsets.UTF_8))
                .run(ScenarioParser.parse(repo.resolve("experiments/scenarios/quick.yaml")));

        Path dir = tmp.resolve("reports").resolve("quick");
        JsonNode r = new ObjectMapper().readTree(dir.resolve("results.json").toFile());
        for (String field : List.of("kendall_tau", "noise_ceiling_tau", "gain_recovery")) {
            assertTrue(r.get(field).isNumber(), field + " is a number: " + r.get(field));
        }
        assertTrue(r.get("top1_correct").isBoolean());
        assertTrue(r.get("vs_random_points").get("mean").isNumber());
        assertEquals(2, r.get("vs_random_points").get("n").asInt());
        double tau = r.get("kendall_tau").asDouble();
        assertTrue(tau >= -1 && tau <= 1, "tau in [-1, 1]: " + tau);
        // quick's owner-c holds no weak-class sample: no subset, score 0, and full information gains nothing over MT alone.
        JsonNode last = r.get("ranking").get(2);
        assertEquals("owner-c", last.get("owner").asText());
        assertEquals(0.0, last.get("mycroft_score").asDouble());
        assertTrue(Files.size(dir.resolve(ReportWriter.ACCURACY_HARD_PNG)) > 1000);
        String readme = Files.readString(dir.resolve("README.md"));
        assertTrue(readme.contains("batch form"), readme);
    }
}
