package io.mycroft.cli.experiment;

import io.mycroft.cli.StackStart;
import io.mycroft.cli.demo.DemoCommand;
import io.mycroft.experiments.ExperimentRunner;
import mycroft.schemas.HardSetPrivacy;
import io.mycroft.experiments.report.Results;
import io.mycroft.experiments.scenario.Scenario;
import io.mycroft.experiments.scenario.ScenarioParser;
import io.mycroft.stack.StackProperties;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.core.config.Configurator;
import picocli.CommandLine.Command;
import io.mycroft.cli.PrivacyOptions;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code mycroft experiment --scenario FILE [--seeds 1,2,3]}: a scenario over seeds, on the pipeline → {@code reports/<name>/}. */
@Command(name = "experiment", mixinStandardHelpOptions = true,
        description = "Run a scenario over its seeds on the pipeline (starts the local stack if needed): per seed, generate "
                + "the data, train the MT model, select D_hard, publish one request per method and budget, stream the "
                + "owners in through Connect, let the inference worker and the Streams app select, check the streamed "
                + "subsets against batch selection and an audit replay, fine-tune on the subsets, the random and K-Center "
                + "baselines and each owner's full data, and write reports/<name>/ (README.md, PNG charts, results.json).")
public final class ExperimentCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    StackStart start;

    @Option(names = "--fresh", description = "Wipe the local stack's data and start it fresh first.")
    boolean fresh;

    @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "600",
            description = "Longest wait per seed for all owner data to get through the pipeline (default: ${DEFAULT-VALUE}).")
    int timeoutSeconds;

    @Option(names = "--scenario", paramLabel = "FILE", required = true, description = "The scenario file (YAML or JSON).")
    Path scenarioFile;

    @Option(names = "--seeds", paramLabel = "N", split = ",", description = "Seeds (default: the scenario's seeds).")
    List<Long> seeds;

    @Option(names = "--data", paramLabel = "DIR", description = "The shipped data directory (default: data/ of the repository).")
    Path dataDir;

    @Option(names = "--reports", paramLabel = "DIR", description = "Reports root (default: reports/ of the repository).")
    Path reportsRoot;

    @Option(names = "--generated", paramLabel = "DIR", description = "Where generated data goes (default: <work dir>/experiments).")
    Path generatedDir;

    @Mixin
    PrivacyOptions privacyOptions;

    @Override
    public Integer call() throws Exception {
        if (!Files.isRegularFile(scenarioFile)) {
            throw new ParameterException(spec.commandLine(), "no scenario file " + scenarioFile);
        }
        Scenario scenario = ScenarioParser.parse(scenarioFile); // a ScenarioException is reported by MycroftCli
        List<Long> s = seeds != null && !seeds.isEmpty() ? seeds : scenario.seeds();
        if (s.isEmpty()) {
            throw new ParameterException(spec.commandLine(), "no seeds: give --seeds or seeds in the scenario");
        }
        Path home = DemoCommand.home();
        Path data = dataDir != null ? dataDir : home.resolve("data");
        if (!Files.isDirectory(data)) {
            throw new ParameterException(spec.commandLine(), "no data directory " + data + " (pass --data DIR: the repository's data/)");
        }
        if (timeoutSeconds < 1) {
            throw new ParameterException(spec.commandLine(), "--timeout must be ≥ 1 second, was " + timeoutSeconds);
        }
        // Noise seeds come from each experiment seed (ExperimentRunner.privately); 0 here.
        HardSetPrivacy privacy = privacyOptions.privacy(spec, 0L);
        Configurator.setAllLevels(org.apache.logging.log4j.LogManager.ROOT_LOGGER_NAME, Level.ERROR);
        ExperimentRunner.Settings settings = new ExperimentRunner.Settings(data,
                generatedDir != null ? generatedDir : start.workDir().get().resolve("experiments"),
                reportsRoot != null ? reportsRoot : home.resolve("reports"), List.copyOf(s), Duration.ofSeconds(timeoutSeconds),
                privacy);
        StackProperties stack = start.up(line -> System.out.println("  " + line), fresh);
        Results r = new ExperimentRunner(settings, stack, System.out).run(scenario);
        System.out.printf(Locale.ROOT, "kendall_tau %.3f, noise_ceiling_tau %s, top1_correct %s, gain_recovery %s, vs_random_points %s%n",
                r.kendallTau(), r.noiseCeilingTau(), r.top1Correct(), r.gainRecovery(),
                r.vsRandomPoints() == null ? "null" : String.format(Locale.ROOT, "%.1f", r.vsRandomPoints().mean()));
        return 0;
    }
}
