package io.mycroft.loadtests.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mycroft.experiments.pipeline.SeedSetup;
import io.mycroft.stack.LocalStack;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The short crash test of the default suite: a scenario streamed through a local stack of its own (Connect is killed
 * broker and Connect are its own, as the full run kills them), with three SIGKILLs of the Streams app and one of the
 * inference worker at random points; every sample must be counted exactly once and the published subsets and rankings
 * must equal both a fault-free replay of the same inputs and a separate fault-free live run, bit for bit. The full run (≥ 20 kills
 * of the Streams app, Connect too) is load-tests/bin/faults.sh; load-tests/reports/faults.md has its figures.
 */
class CrashRecoveryIT {
    /** Kept after the test (logs of each child). */
    private static final Path RUNS = Path.of("target", "faults-it");
    @TempDir
    static Path tmp;
    private static LocalStack stack;

    @BeforeAll
    static void startStack() {
        stack = new LocalStack(tmp.resolve("stack"), line -> System.out.println("[faults stack] " + line));
        stack.up(false);
    }

    @AfterAll
    static void stopStack() {
        stack.abandon();
    }

    @Test
    void killedStreamsAppAndWorkerPublishWhatAFaultFreeRunPublishes() throws Exception {
        Path repo = Path.of("").toAbsolutePath().getParent();
        try (SeedSetup setup = FaultExperiment.prepare(repo, tmp)) {
            FaultRun.Faults faults = new FaultRun.Faults(3, 1, 0, 0, Duration.ofSeconds(2), Duration.ofSeconds(5), 17);
            FaultExperiment.Result result = FaultExperiment.run(stack, setup, RUNS, 12, faults, "it",
                    Duration.ofMinutes(4), System.out);

            assertEquals(4, result.faulty().kills().size());
            assertTrue(result.reference().auditsIdentical(), result.reference().auditDifferences().toString());
            assertTrue(result.faulty().auditsIdentical(), result.faulty().auditDifferences().toString());
            assertTrue(result.reference().countedExactlyOnce(), result.reference().summary());
            assertTrue(result.faulty().countedExactlyOnce(), result.faulty().summary());
            assertEquals(0, result.vectorsDifferingFromReference(), "samples whose vectors differ from the fault-free run");
            assertTrue(result.identicalToReference(), "published subsets and rankings differ from the fault-free run");
        }
    }
}
