package io.mycroft.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class MycroftCliTest {
    @TempDir
    Path workDir;

    @Test
    void stackUpTakesFreshAndWorkDir() {
        CommandLine.ParseResult parsed = MycroftCli.commandLine()
                .parseArgs("stack", "up", "--fresh", "--work-dir", workDir.toString());

        CommandLine up = parsed.subcommand().subcommand().commandSpec().commandLine();
        StackCommand.Up command = up.getCommand();
        assertThat(command.fresh).isTrue();
        assertThat(command.workDir.get()).isEqualTo(workDir);
    }

    @Test
    void statusOfANeverStartedStackSaysDownWithExitCode3() {
        StringWriter out = new StringWriter();
        CommandLine cli = MycroftCli.commandLine();
        cli.setOut(new PrintWriter(out));

        int exitCode = cli.execute("stack", "status", "--work-dir", workDir.toString());

        assertThat(exitCode).isEqualTo(StackCommand.NOT_RUNNING);
    }

    @Test
    void unknownComponentIsAUserErrorNamingTheChoices() {
        StringWriter err = new StringWriter();
        CommandLine cli = MycroftCli.commandLine();
        cli.setErr(new PrintWriter(err));

        int exitCode = cli.execute("stack", "logs", "zookeeper", "--work-dir", workDir.toString());

        assertThat(exitCode).isEqualTo(MycroftCli.USER_ERROR);
        assertThat(err.toString()).contains("unknown component 'zookeeper'", "broker, registry, connect");
    }
}
