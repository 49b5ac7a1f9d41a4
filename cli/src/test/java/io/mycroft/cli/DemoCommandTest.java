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

/** Argument errors of {@code mycroft demo}: exit code 2 and a message naming the problem, before any stack starts. */
class DemoCommandTest {
    @TempDir
    Path workDir;

    private int run(StringWriter err, String... args) {
        CommandLine cli = MycroftCli.commandLine();
        cli.setErr(new PrintWriter(err));
        cli.setOut(new PrintWriter(new StringWriter()));
        return cli.execute(args);
    }

    @Test
    void quickAndScenarioExcludeEachOther() {
        StringWriter err = new StringWriter();
        assertThat(run(err, "demo", "--quick", "--scenario", "x.yaml", "--work-dir", workDir.toString())).isEqualTo(2);
        assertThat(err.toString()).contains("--quick and --scenario exclude each other");
        assertThat(workDir.resolve("stack.properties")).doesNotExist();
    }

    @Test
    void budgetPerHardSampleMustBePositive() {
        StringWriter err = new StringWriter();
        assertThat(run(err, "demo", "--quick", "--k", "0", "--work-dir", workDir.toString())).isEqualTo(2);
        assertThat(err.toString()).contains("--k must be ≥ 1, was 0");
    }

    @Test
    void missingScenarioFileIsNamed() {
        StringWriter err = new StringWriter();
        Path missing = workDir.resolve("nope.yaml");
        assertThat(run(err, "demo", "--scenario", missing.toString(), "--work-dir", workDir.toString())).isEqualTo(2);
        assertThat(err.toString()).contains("no scenario file " + missing);
    }

    @Test
    void badScenarioNamesTheField() throws IOException {
        Path bad = Files.writeString(workDir.resolve("bad.yaml"), "name: x\ndataset: fashion-mnist\nowners: []\n");
        StringWriter err = new StringWriter();
        assertThat(run(err, "demo", "--scenario", bad.toString(), "--work-dir", workDir.toString())).isEqualTo(2);
        assertThat(err.toString()).contains("bad scenario").contains("owners").doesNotContain("Usage:");
    }

    @Test
    void missingDataDirectoryIsNamed() {
        StringWriter err = new StringWriter();
        Path none = workDir.resolve("no-data");
        assertThat(run(err, "demo", "--quick", "--data", none.toString(), "--work-dir", workDir.toString())).isEqualTo(2);
        assertThat(err.toString()).contains("no data directory " + none);
    }

    @Test
    void timeoutAndPortAreChecked() {
        StringWriter err = new StringWriter();
        assertThat(run(err, "demo", "--quick", "--timeout", "0", "--work-dir", workDir.toString())).isEqualTo(2);
        assertThat(err.toString()).contains("--timeout must be ≥ 1 second");
        StringWriter err2 = new StringWriter();
        assertThat(run(err2, "demo", "--quick", "--http-port", "70000", "--work-dir", workDir.toString())).isEqualTo(2);
        assertThat(err2.toString()).contains("--http-port must be 0–65535");
    }
}
