package io.mycroft.loadtests.faults;

import io.mycroft.experiments.pipeline.SeedSetup;
import io.mycroft.experiments.scenario.ScenarioParser;
import io.mycroft.stack.LocalStack;
import mycroft.schemas.SelectionMethod;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * The crash experiment: the faults scenario's seed 1 streamed twice through the same local stack, once without faults
 * (the reference) and once under {@link FaultRun.Faults}; the second must publish exactly the reference's subsets and
 * rankings (same digests), pass its own audit replay, and count every sample exactly once.
 */
public final class FaultExperiment {
    /** Both requests of the scenario's budget: OMP (GRADIENT) state and RetrieveTopK (FEATURE) heaps both get killed. */
    public static final List<FaultRun.Request> REQUESTS = List.of(
            new FaultRun.Request("faults-gradient", SelectionMethod.GRADIENT, 2),
            new FaultRun.Request("faults-feature", SelectionMethod.FEATURE, 2));

    public record Result(FaultRun.Outcome reference, FaultRun.Outcome faulty) {
        /** Subsets and rankings bit for bit (ids, weights, norms, scores) as the reference run published them. */
        public boolean identicalToReference() {
            return reference.publishedDigests().equals(faulty.publishedDigests());
        }

        /** The same samples selected per class, in the same order, and the same ranking order as the reference. */
        public boolean sameSelectionsAsReference() {
            return reference.selections().equals(faulty.selections());
        }

        /** Samples whose published gradient or embedding bytes differ from the reference run's (or are missing). */
        public long vectorsDifferingFromReference() {
            return reference.vectorHashes().entrySet().stream()
                    .filter(e -> !e.getValue().equals(faulty.vectorHashes().get(e.getKey()))).count();
        }
    }

    private FaultExperiment() {
    }

    /** The faults scenario under {@code repo}, its data generated and model trained in {@code dir}. */
    public static SeedSetup prepare(Path repo, Path dir) throws Exception {
        return SeedSetup.prepare(ScenarioParser.parse(repo.resolve("load-tests/scenarios/faults.yaml")), 1, repo.resolve("data"),
                dir.resolve("seed"), "faults-model");
    }

    /** Runs the reference, then the faulty run; both at {@code ratePerSecond} per owner so their sample ids are the same. */
    public static Result run(LocalStack stack, SeedSetup setup, Path dir, double ratePerSecond, FaultRun.Faults faults,
                             String tag, Duration timeout, PrintStream out) throws Exception {
        FaultRun run = new FaultRun(stack, setup, dir, ratePerSecond, out);
        FaultRun.Outcome reference = run.run(tag + "-ref", REQUESTS, FaultRun.Faults.none(), timeout);
        FaultRun.Outcome faulty = run.run(tag + "-kill", REQUESTS, faults, timeout);
        return new Result(reference, faulty);
    }
}
