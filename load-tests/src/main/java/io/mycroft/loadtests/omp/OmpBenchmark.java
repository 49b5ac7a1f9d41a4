package io.mycroft.loadtests.omp;

import io.mycroft.processors.math.Candidate;
import io.mycroft.processors.math.InMemoryCandidateStore;
import io.mycroft.processors.math.IncrementalOmp;
import io.mycroft.processors.math.OmpOptions;
import io.mycroft.processors.math.OmpPath;
import io.mycroft.processors.math.OrthogonalMatchingPursuit;
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
 * Incremental OMP (one arrival offered to the state of n candidates) against a batch re-solve over the n candidates,
 * GradMatch defaults (λ = 0.5, non-negative, unit columns, fill to B), d = 1,290 (the MLP's last layer).
 * Random order: i.i.d. arrivals (the typical one changes nothing; re-runs happen when one does). Adversarial order:
 * every arrival beats the step-1 winner (sorted ascending by score), the worst case.
 */
@State(Scope.Benchmark)
@Fork(value = 1, jvmArgs = {"-Xms8g", "-Xmx8g", "--add-modules=jdk.incubator.vector"})
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class OmpBenchmark {
    @Param({"10000", "100000"})
    int n;
    @Param({"100", "500"})
    int budget;
    @Param({"1290"})
    int d;

    private OmpBenchData data;
    private OmpOptions options;
    private IncrementalOmp incremental;
    private int adversarial;
    private int reRuns;
    private int offers;

    @Setup(Level.Trial)
    public void setUp() {
        data = new OmpBenchData(n, d, 42);
        options = OmpOptions.gradMatch(budget);
    }

    /** The state every incremental benchmark starts from: the path of the n candidates, working memory warm. */
    private void startIncremental() {
        InMemoryCandidateStore store = new InMemoryCandidateStore();
        IncrementalOmp inc = IncrementalOmp.start(data.y, options, store);
        inc.offer(data.candidates);
        incremental = inc;
    }

    @Benchmark
    @BenchmarkMode(Mode.SingleShotTime)
    @Warmup(iterations = 0)
    @Measurement(iterations = 2)
    public OmpPath batchSolve() {
        return OrthogonalMatchingPursuit.solve(data.y, data.candidates, options);
    }

    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    @Warmup(iterations = 1, time = 2)
    @Measurement(iterations = 3, time = 2)
    public IncrementalOmp.Offer incrementalRandomOrder() {
        if (incremental == null) {
            startIncremental();
        }
        IncrementalOmp.Offer offer = incremental.offer(List.of(data.randomArrival()));
        offers++;
        reRuns += offer.divergedAt() > 0 ? 1 : 0;
        return offer;
    }

    @Benchmark
    @BenchmarkMode(Mode.SingleShotTime)
    @Warmup(iterations = 1)
    @Measurement(iterations = 3)
    public IncrementalOmp.Offer incrementalAdversarialOrder() {
        if (incremental == null) {
            startIncremental();
        }
        Candidate x = data.adversarialArrival(adversarial++);
        IncrementalOmp.Offer offer = incremental.offer(List.of(x));
        offers++;
        reRuns += offer.divergedAt() > 0 ? 1 : 0;
        return offer;
    }

    @TearDown(Level.Trial)
    public void report() {
        if (offers > 0) {
            System.out.printf("%n[omp] n=%d B=%d offers=%d re-runs=%d%n", n, budget, offers, reRuns);
        }
    }
}
