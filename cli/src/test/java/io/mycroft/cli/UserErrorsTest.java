package io.mycroft.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine;

/**
 * Every user error a command can meet without a running stack ends in exactly one line on stderr that names the problem
 * and the fix, and a non-zero exit code; never a stack trace or a usage dump. (An unknown request needs a broker:
 * UserErrorsIT.)
 */
class UserErrorsTest {
    @TempDir
    static Path workDir;

    static Stream<Arguments> userErrors() throws IOException {
        Path oneProblem = Files.writeString(workDir.resolve("one-problem.yaml"), """
                name: x
                dataset: fashion-mnist
                modelTrainer: {weakClasses: [Shirt], trainPerClass: 50, weakTrainPerClass: 5, validationPerClass: 20,
                               testPerClass: 30, training: {epochs: 0}}
                owners: [{id: a, size: 10}]
                budgets: [{kPerHard: 1}]
                """);
        Path notYaml = Files.writeString(workDir.resolve("not-yaml.yaml"), "owners: [a, {b");
        String closedPort = "127.0.0.1:" + freePort();
        String dir = workDir.toString();
        return Stream.of(
                error(List.of("streams", "--config", "/missing.properties", "--work-dir", dir), 1,
                        "no config file /missing.properties: pass the path of a properties file to --config"),
                error(List.of("worker", "--batch-size", "-5"), 2, "--batch-size must be ≥ 0"),
                error(List.of("worker", "--linger-ms", "-1"), 2, "--linger-ms must be ≥ 0"),
                error(List.of("worker", "--metrics-port", "70000"), 2, "--metrics-port must be in [0, 65535]"),
                error(List.of("worker", "--batch-size", "lots"), 2, "'lots' is not an int", "see mycroft worker --help"),
                error(List.of("frobnicate"), 2, "Unmatched argument", "see mycroft --help"),
                error(List.of("stak", "up"), 2, "did you mean stack"),
                error(List.of("stack", "up", "--frsh"), 2, "Unknown option: '--frsh'", "see mycroft stack up --help"),
                error(List.of("stack", "logs", "zookeeper", "--work-dir", dir), 1, "unknown component 'zookeeper'"),
                error(List.of("audit", "replay", "--work-dir", dir), 2, "Missing required option: '--request=ID'"),
                error(List.of("experiment", "--scenario", "/missing.yaml", "--work-dir", dir), 2, "no scenario file /missing.yaml"),
                error(List.of("experiment", "--scenario", oneProblem.toString(), "--work-dir", dir), 2,
                        "bad scenario " + oneProblem + ": modelTrainer.training.epochs: must be in [1, 1000], was 0"),
                error(List.of("experiment", "--scenario", notYaml.toString(), "--work-dir", dir), 2, "not valid YAML"),
                error(List.of("demo", "--quick", "--k", "0", "--work-dir", dir), 2, "--k must be ≥ 1, was 0"),
                error(List.of("owners", "list", "--work-dir", dir), 1, "start the stack first with ./mycroft stack up"),
                error(List.of("streams", "--work-dir", dir, "-D", "bootstrap.servers=" + closedPort), 1,
                        "no Kafka broker answers at " + closedPort, "./mycroft stack up"),
                error(List.of("audit", "replay", "--request", "r1", "--work-dir", dir, "-D", "bootstrap.servers=" + closedPort), 1,
                        "no Kafka broker answers at " + closedPort),
                error(List.of("streams", "--work-dir", dir, "-D", "bootstrap.servers=no-such-host.invalid:9092"), 1,
                        "no Kafka broker at no-such-host.invalid:9092 (No resolvable bootstrap urls"),
                error(List.of("stack", "status", "--work-dir", dir), StackCommand.NOT_RUNNING,
                        "start it with ./mycroft stack up --work-dir " + dir));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("userErrors")
    void isOneLineOnStderrWithANonZeroExitCode(String commandLine, List<String> args, int exitCode, List<String> says) {
        StringWriter err = new StringWriter();
        CommandLine cli = MycroftCli.commandLine();
        cli.setErr(new PrintWriter(err));
        cli.setOut(new PrintWriter(new StringWriter()));

        int code = cli.execute(args.toArray(String[]::new));

        assertThat(err.toString().lines().toList()).as(err.toString()).singleElement().satisfies(line -> {
            assertThat(line).startsWith("mycroft");
            assertThat(line).contains(says);
        });
        assertThat(code).isEqualTo(exitCode);
    }

    private static Arguments error(List<String> args, int exitCode, String... says) {
        return Arguments.of(String.join(" ", args), args, exitCode, List.of(says));
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
