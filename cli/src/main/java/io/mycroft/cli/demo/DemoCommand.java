package io.mycroft.cli.demo;

import io.mycroft.cli.StackStart;
import io.mycroft.experiments.scenario.Scenario;
import io.mycroft.experiments.scenario.ScenarioParser;
import io.mycroft.stack.StackProperties;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.core.config.Configurator;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;

/** {@code mycroft demo [--quick]}: the whole system end to end on shipped data, with live progress and a report. */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Run Mycroft end to end on shipped data: start the local stack (or reuse it), generate a scenario's "
                + "MT and owner data, train the MT model, select D_hard, publish the request, stream owners in through the "
                + "directory connector, run an inference worker and the Streams app in-process with live progress, evaluate "
                + "every owner's useful subset, audit-replay, and write a report (README.md + results.json).")
public final class DemoCommand implements Callable<Integer> {
    /** The quick scenario, shipped inside the CLI. */
    public static final String QUICK_SCENARIO = "demo-quick.yaml";
    static final String FULL_SCENARIO = "experiments/scenarios/fashion-mnist-six-owners.yaml";

    @Spec
    CommandSpec spec;

    @Mixin
    StackStart start;

    @Option(names = "--quick", description = "The small five-owner scenario (≤ 2 min; what CI runs).")
    boolean quick;

    @Option(names = "--scenario", paramLabel = "FILE", description = "A scenario file (default: " + FULL_SCENARIO + ").")
    Path scenarioFile;

    @Option(names = "--seed", paramLabel = "N", description = "Data seed (default: the scenario's first seed).")
    Long seed;

    @Option(names = "--k", paramLabel = "N", description = "Budget per hard sample (default: the scenario's largest kPerHard).")
    Integer kPerHard;

    @Option(names = "--data", paramLabel = "DIR", description = "The shipped data directory (default: data/ of the repository).")
    Path dataDir;

    @Option(names = "--report", paramLabel = "DIR", description = "Report directory (default: <work dir>/demo/report-<scenario>).")
    Path reportDir;

    @Option(names = "--http-port", paramLabel = "PORT", defaultValue = "7070",
            description = "Port of the Streams app's REST/SSE API (0 = any free port; default: ${DEFAULT-VALUE}).")
    int httpPort;

    @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "480",
            description = "Longest wait for all owner data to get through the pipeline (default: ${DEFAULT-VALUE}).")
    int timeoutSeconds;

    @Option(names = "--stop-when-settled", description = "Owners stop early: when the request's ranking has settled, their "
            + "connectors are paused and the rest of their data is never read (the report says how much).")
    boolean stopWhenSettled;

    @Option(names = "--settled-window", paramLabel = "N", description = "Subset updates the ranking's separated order must "
            + "survive without a reversal to count as settled (default: the Streams app's, 20).")
    Integer settledWindow;

    @Option(names = "--fresh", description = "Wipe the local stack's data and start it fresh first.")
    boolean fresh;

    @Override
    public Integer call() throws Exception {
        Scenario scenario = scenario();
        Demo.Settings settings = settings(scenario);
        // The demo prints its own progress; the clients' INFO/WARN logging would bury it.
        Configurator.setAllLevels(org.apache.logging.log4j.LogManager.ROOT_LOGGER_NAME, Level.ERROR);
        System.out.println("mycroft demo: scenario " + scenario.name() + " (" + scenario.owners().size() + " owners); local stack in " + start.workDir().get());
        StackProperties stack = start.up(line -> System.out.println("  " + line), fresh);
        DemoResult result = new Demo(settings, stack, System.out).run(scenario);
        return result.auditIdentical() ? 0 : 1;
    }

    /** Checks the arguments and resolves defaults; a {@link ParameterException} names what is wrong. */
    Demo.Settings settings(Scenario scenario) {
        if (kPerHard != null && kPerHard < 1) {
            throw new ParameterException(spec.commandLine(), "--k must be ≥ 1, was " + kPerHard);
        }
        if (httpPort < 0 || httpPort > 65535) {
            throw new ParameterException(spec.commandLine(), "--http-port must be 0–65535, was " + httpPort);
        }
        if (settledWindow != null && settledWindow < 1) {
            throw new ParameterException(spec.commandLine(), "--settled-window must be ≥ 1 update, was " + settledWindow);
        }
        if (timeoutSeconds < 1) {
            throw new ParameterException(spec.commandLine(), "--timeout must be ≥ 1 second, was " + timeoutSeconds);
        }
        Path data = dataDir != null ? dataDir : home().resolve("data");
        if (!Files.isDirectory(data)) {
            throw new ParameterException(spec.commandLine(), "no data directory " + data + " (pass --data DIR: the repository's data/)");
        }
        long s = seed != null ? seed : scenario.seeds().isEmpty() ? 1 : scenario.seeds().get(0);
        Path demoDir = start.workDir().get().resolve("demo");
        return new Demo.Settings(data, demoDir, reportDir != null ? reportDir : demoDir.resolve("report-" + scenario.name()),
                s, kPerHard == null ? 0 : kPerHard, httpPort, Duration.ofSeconds(timeoutSeconds), System.console() != null,
                stopWhenSettled, settledWindow == null ? 0 : settledWindow);
    }

    /** The quick scenario shipped in the CLI. */
    public static Scenario quickScenario() throws IOException {
        try (InputStream in = DemoCommand.class.getResourceAsStream(QUICK_SCENARIO)) {
            return ScenarioParser.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8), QUICK_SCENARIO);
        }
    }

    Scenario scenario() throws IOException {
        if (quick && scenarioFile != null) {
            throw new ParameterException(spec.commandLine(), "--quick and --scenario exclude each other: --quick runs the shipped "
                    + QUICK_SCENARIO);
        }
        if (quick) {
            return quickScenario();
        }
        Path file = scenarioFile != null ? scenarioFile : home().resolve(FULL_SCENARIO);
        if (!Files.isRegularFile(file)) {
            throw new ParameterException(spec.commandLine(), "no scenario file " + file);
        }
        return ScenarioParser.parse(file); // a ScenarioException is reported by MycroftCli
    }

    /** The repository: $MYCROFT_HOME (set by ./mycroft), else the nearest directory up from here holding data/fashion-mnist. */
    public static Path home() {
        String env = System.getenv("MYCROFT_HOME");
        if (env != null && !env.isBlank()) {
            return Path.of(env);
        }
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isDirectory(p.resolve("data").resolve("fashion-mnist"))) {
                return p;
            }
        }
        return Path.of("").toAbsolutePath();
    }
}
