package io.mycroft.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.mycroft.stack.StackProperties;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
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
        assertThat(command.start.workDir().get()).isEqualTo(workDir);
        assertThat(command.start.insecure).as("secure unless asked").isFalse();
    }

    @Test
    void insecureWithTlsIsOneClearLine() {
        StringWriter err = new StringWriter();
        CommandLine cli = MycroftCli.commandLine();
        cli.setErr(new PrintWriter(err));

        int exitCode = cli.execute("stack", "up", "--insecure", "--tls", "--work-dir", workDir.toString());

        assertThat(exitCode).isNotZero();
        assertThat(err.toString()).contains("--insecure cannot be combined with --secure or --tls").doesNotContain("\tat ");
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

    @Test
    void theEndpointOptionsDefaultToTheRunningStacksAndElseToTheirOwn() throws Exception {
        CommandLine noStack = new CommandLine(new MycroftCli()).setDefaultValueProvider(new StackEndpoints(workDir));
        noStack.parseArgs("worker");
        CommandLine.Model.CommandSpec worker = noStack.getSubcommands().get("worker").getCommandSpec();
        assertThat(worker.findOption("--bootstrap-servers").<String>getValue()).isEqualTo("127.0.0.1:9092");

        Files.writeString(workDir.resolve(StackProperties.FILE_NAME),
                "bootstrap.servers=127.0.0.1:39092\nschema.registry.url=http://127.0.0.1:38081\n");
        CommandLine withStack = new CommandLine(new MycroftCli()).setDefaultValueProvider(new StackEndpoints(workDir));
        withStack.parseArgs("worker");
        CommandLine.Model.CommandSpec parsed = withStack.getSubcommands().get("worker").getCommandSpec();
        assertThat(parsed.findOption("--bootstrap-servers").<String>getValue()).isEqualTo("127.0.0.1:39092");
        assertThat(parsed.findOption("--schema-registry").<String>getValue()).isEqualTo("http://127.0.0.1:38081");
        for (String command : List.of("hardset", "train", "evaluate")) { // their other options are required
            CommandLine sub = withStack.getSubcommands().get(command);
            assertThat(sub.getDefaultValueProvider().defaultValue(sub.getCommandSpec().findOption("--bootstrap-servers")))
                    .as(command).isEqualTo("127.0.0.1:39092");
        }
        withStack.parseArgs("worker", "--bootstrap-servers", "kafka:9092");
        assertThat(withStack.getSubcommands().get("worker").getCommandSpec().findOption("--bootstrap-servers").<String>getValue())
                .isEqualTo("kafka:9092");
    }
}
