package io.mycroft.loadtests.omp;

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
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;

/**
 * Batch re-solve: {@link OrthogonalMatchingPursuit#solve} over n candidates with GradMatch defaults (λ = 0.5,
 * non-negative, unit columns, fill to B), d = 1,290 (the MLP's last layer). Compare with {@link IncrementalOmpBenchmark}.
 */
@State(Scope.Benchmark)
@Fork(value = 1, jvmArgs = {"-Xms8g", "-Xmx8g", "--add-modules=jdk.incubator.vector"})
@BenchmarkMode(Mode.SingleShotTime)
@Warmup(iterations = 0)
@Measurement(iterations = 2)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class OmpBenchmark {
    @Param({"10000", "100000"})
    int n;
    @Param({"100", "500"})
    int budget;
    @Param({"1290"})
    int d;

    private OmpBenchData data;

    @Setup(Level.Trial)
    public void setUp() {
        data = new OmpBenchData(n, d, 42);
    }

    @Benchmark
    public OmpPath batchSolve() {
        return OrthogonalMatchingPursuit.solve(data.y, data.candidates, OmpOptions.gradMatch(budget));
    }
}
