package io.mycroft.cli.demo;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mycroft.experiments.scenario.Scenario;
import io.mycroft.stack.TestStack;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code mycroft demo --quick} end to end on the shared test stack (what CI runs). */
class DemoQuickIT {
    @TempDir
    Path dir;

    @Test
    void quickDemoRanksTheDesignedBestOwnerFirstAndWritesTheReport() throws Exception {
        Scenario scenario = DemoCommand.quickScenario();
        Path report = dir.resolve("report");
        Demo.Settings settings = new Demo.Settings(DemoCommand.home().resolve("data"), dir.resolve("demo"), report,
                scenario.seeds().get(0), 0, 0, Duration.ofMinutes(4), false);
        long start = System.nanoTime();

        DemoResult result = new Demo(settings, TestStack.shared(), System.out).run(scenario);

        System.out.printf("quick demo took %.1f s%n", (System.nanoTime() - start) / 1e9);
        assertThat(result.designedBest()).isEqualTo("owner-a");
        assertThat(result.topOwner()).isEqualTo("owner-a");
        assertThat(result.topOwnerIsDesignedBest()).isTrue();
        assertThat(result.topOwnerByMeasuredGain()).isEqualTo("owner-a");
        assertThat(result.auditIdentical()).isTrue();
        assertThat(result.ranking()).hasSize(5);

        Path json = report.resolve("results.json");
        Path md = report.resolve("README.md");
        assertThat(json).isRegularFile();
        assertThat(md).isRegularFile();
        JsonNode results = new ObjectMapper().readTree(json.toFile());
        assertThat(results.get("top_owner").asText()).isEqualTo("owner-a");
        assertThat(results.get("mt_test_accuracy").asDouble()).isBetween(0.3, 1.0);
        assertThat(results.get("ranking").get(0).get("score").asDouble()).isPositive();
        assertThat(results.get("ranking").get(0).get("subset_size").asInt()).isPositive();
        assertThat(results.get("owners")).hasSize(5);
        for (JsonNode owner : results.get("owners")) {
            assertThat(owner.get("size").asInt()).isEqualTo(100);
            assertThat(owner.get("held_out_hard_accuracy").isNumber()).isTrue();
            assertThat(owner.get("held_out_hard_gain").isNumber()).isTrue();
        }
        assertThat(Files.readString(md)).contains("Top owner of the live ranking: owner-a").containsPattern("\\| owner-a \\| 100 \\| \\d+ \\| \\d+ \\| 0\\.\\d{3}");
    }
}
