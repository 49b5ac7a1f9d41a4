package io.mycroft.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** A bad scenario for {@code mycroft experiment}: every problem on a line of its own, before any stack starts. */
class ExperimentCommandTest {
    @TempDir
    Path workDir;

    @Test
    void badScenarioListsEveryProblemOnALineWithoutUsageOrStackTrace() throws IOException {
        Path bad = Files.writeString(workDir.resolve("bad.yaml"), """
                name: x
                dataset: fashion-mnist
                modelTrainer: {weakClasses: [Shirt], trainPerClass: 50, weakTrainPerClass: 5, validationPerClass: 20,
                               testPerClass: 30, training: {epochs: 0}}
                owners: [{id: a, size: 10, labelNoise: 2}]
                randomOwners: {count: 3, size: [50, 10]}
                budgets: [{kPerHard: 1}]
                """);
        StringWriter err = new StringWriter();
        CommandLine cli = MycroftCli.commandLine();
        cli.setErr(new PrintWriter(err));
        cli.setOut(new PrintWriter(new StringWriter()));

        int exitCode = cli.execute("experiment", "--scenario", bad.toString(), "--work-dir", workDir.toString());

        assertThat(exitCode).isEqualTo(2);
        assertThat(err.toString().lines()).containsExactly(
                "mycroft: bad scenario " + bad + ": 3 problem(s) in the scenario:",
                "  modelTrainer.training.epochs: must be in [1, 1000], was 0",
                "  randomOwners.size: must be [min, max] of integers with 1 ≤ min ≤ max ≤ 1000000, was [50, 10]",
                "  owners[0].labelNoise: must be in [0, 1], was 2.0");
        assertThat(workDir.resolve("stack.properties")).doesNotExist();
    }
}
