package io.mycroft.experiments;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mycroft.experiments.report.ReportWriter;
import io.mycroft.experiments.scenario.ScenarioParser;
import io.mycroft.stack.SecureTestStack;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The runner on the shipped quick scenario, two seeds (so the noise ceiling is measurable), on the shared secure test
 * stack (each seed's prefixed topics get the services' ACLs; every service logs in as itself):
 * both seeds stream through Connect, the worker and the Streams app; a whole report comes out.
 */
class ExperimentQuickIT {
    @Test
    void quickScenarioRunsOnThePipelineAndWritesResultsWithTheHeadlineNumbers(@TempDir Path tmp) throws Exception {
        Path repo = Path.of("").toAbsolutePath().getParent();
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(log, true, StandardCharsets.UTF_8);
        try {
            new ExperimentRunner(new ExperimentRunner.Settings(repo.resolve("data"), tmp.resolve("work"), tmp.resolve("reports"),
                    List.of(1L, 2L), Duration.ofMinutes(4)), SecureTestStack.shared().endpoints(), out)
                    .run(ScenarioParser.parse(repo.resolve("experiments/scenarios/quick.yaml")));
        } finally {
            System.out.print(log.toString(StandardCharsets.UTF_8));
        }

        Path dir = tmp.resolve("reports").resolve("quick");
        JsonNode r = new ObjectMapper().readTree(dir.resolve("results.json").toFile());
        for (String field : List.of("kendall_tau", "noise_ceiling_tau", "gain_recovery")) {
            assertTrue(r.get(field).isNumber(), field + " is a number: " + r.get(field));
        }
        assertTrue(r.get("top1_correct").isBoolean());
        assertEquals(2, r.get("vs_random_points").get("n").asInt());
        double tau = r.get("kendall_tau").asDouble();
        assertTrue(tau >= -1 && tau <= 1, "tau in [-1, 1]: " + tau);
        // quick's owner-c holds no weak-class sample: no subset, score 0, last.
        JsonNode last = r.get("ranking").get(2);
        assertEquals("owner-c", last.get("owner").asText());
        assertEquals(0.0, last.get("mycroft_score").asDouble());
        assertEquals("owner-a", r.get("ranking").get(0).get("owner").asText());
        // Each method's owner score at the primary budget and the primary's GGDA score, judged like the live one.
        List<String> judged = new ArrayList<>();
        r.get("ranking_by_score").forEach(s -> judged.add(s.get("score").asText()));
        assertEquals(List.of("GRADIENT", "FEATURE", "GGDA"), judged);
        assertEquals(r.get("kendall_tau").asDouble(), r.get("ranking_by_score").get(0).get("kendall_tau").asDouble(), 1e-12);
        // Every seed went through the pipeline: 2 methods × 2 budgets, 3 owners × 120 samples, each vectorised per
        // request; batch selection on the published vectors equals every streamed subset; the audit replay is identical.
        assertEquals(2, r.get("pipeline").size());
        for (JsonNode seed : r.get("pipeline")) {
            JsonNode p = seed.get("run");
            assertEquals(4, p.get("requests").asInt());
            assertEquals(360, p.get("samples_streamed").asLong());
            assertEquals(4 * 360, p.get("vectors_computed").asLong());
            assertEquals(12, p.get("subsets_compared").asInt());
            assertEquals(12, p.get("subsets_identical").asInt(), p.get("differences").toString());
            assertTrue(p.get("audit_identical").asBoolean());
        }
        assertTrue(Files.size(dir.resolve(ReportWriter.ACCURACY_HARD_PNG)) > 1000);
        String readme = Files.readString(dir.resolve("README.md"));
        assertTrue(readme.contains("12 of 12 identical"), readme);
    }
}
