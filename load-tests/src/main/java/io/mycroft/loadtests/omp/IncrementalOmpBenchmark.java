package io.mycroft.loadtests.omp;

import io.mycroft.processors.math.InMemoryCandidateStore;
import io.mycroft.processors.math.IncrementalOmp;
import io.mycroft.processors.math.OmpOptions;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One arrival offered to the {@link IncrementalOmp} state of n candidates (GradMatch defaults, d = 1,290), working
 * memory warm; the state is built in the untimed trial setup.
 * <ul>
 *   <li>Random order: i.i.d. arrivals, timed in shots of {@value #SHOT} consecutive offers, so the score is the
 *       amortised cost per arrival including the re-runs that some arrivals trigger (a time-bounded AverageTime
 *       iteration would weigh one slow re-run as much as hundreds of cheap checks).</li>
 *   <li>Adversarial order: every arrival beats the step-1 winner (scores sorted ascending), so every offer re-runs the
 *       whole path: the worst case, one offer per shot.</li>
 * </ul>
 */
@State(Scope.Benchmark)
@Fork(value = 1, jvmArgs = {"-Xms8g", "-Xmx8g", "--add-modules=jdk.incubator.vector"})
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class IncrementalOmpBenchmark {
    static final int SHOT = 400;

    @Param({"10000", "100000"})
    int n;
    @Param({"100", "500"})
    int budget;
    @Param({"1290"})
    int d;

    private OmpBenchData data;
    private IncrementalOmp incremental;
    private int adversarial;
    private int offers;
    private int reRuns;

    @Setup(Level.Trial)
    public void setUp() {
        data = new OmpBenchData(n, d, 42);
        incremental = IncrementalOmp.start(data.y, OmpOptions.gradMatch(budget), new InMemoryCandidateStore());
        incremental.offer(data.candidates);
    }

    @Benchmark
    @Warmup(iterations = 1, batchSize = SHOT / 4)
    @Measurement(iterations = 2, batchSize = SHOT)
    public IncrementalOmp.Offer incrementalRandomOrder() {
        return count(incremental.offer(List.of(data.randomArrival())));
    }

    @Benchmark
    @Warmup(iterations = 1)
    @Measurement(iterations = 3)
    public IncrementalOmp.Offer incrementalAdversarialOrder() {
        return count(incremental.offer(List.of(data.adversarialArrival(adversarial++))));
    }

    private IncrementalOmp.Offer count(IncrementalOmp.Offer offer) {
        offers++;
        reRuns += offer.divergedAt() > 0 ? 1 : 0;
        return offer;
    }

    @TearDown(Level.Trial)
    public void report() {
        System.out.printf("%n[omp] n=%d B=%d offers=%d re-runs=%d%n", n, budget, offers, reRuns);
    }
}
