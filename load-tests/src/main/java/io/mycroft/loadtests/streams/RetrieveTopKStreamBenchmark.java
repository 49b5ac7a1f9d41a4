package io.mycroft.loadtests.streams;

import io.mycroft.processors.math.RetrieveTopKStream;
import io.mycroft.processors.math.SampleEmbedding;
import io.mycroft.processors.math.UnitVectors;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * FEATURE's selection state alone, on the streams benchmark's input shape (issue 14): 8 owners × 10 classes, each
 * (owner, class) fed 12,500 Gaussian d = 128 embeddings in batches of 5 (the 50-sample records split by class), 4 hard
 * samples a class, k = 2, B_c = 8, from empty state, with a selection after every batch that changed a heap (as the
 * processor emits). Beside it, in the same run, the same samples' unit vectors and distances to their class's hard
 * samples alone: the math the streams benchmark's floor app does. Time per sample.
 */
@State(Scope.Benchmark)
@Fork(value = 2, jvmArgsAppend = {"-Xms4g", "-Xmx4g", "-XX:+UseParallelGC", "-XX:+AlwaysPreTouch"})
@Warmup(iterations = 3, batchSize = 1)
@Measurement(iterations = 5, batchSize = 1)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class RetrieveTopKStreamBenchmark {
    private static final int OWNERS = 8;
    private static final int CLASSES = 10;
    private static final int HARD_PER_CLASS = 4;
    private static final int DIM = 128;
    private static final int PER_BATCH = 5;
    private static final int BATCHES = 12_500 / PER_BATCH;
    private static final int SAMPLES = OWNERS * CLASSES * BATCHES * PER_BATCH;

    private List<List<SampleEmbedding>> hard;
    private List<double[]>[] hardUnits;
    /** batches[b][owner][class], in the order a record stream interleaves them. */
    private List<SampleEmbedding>[][][] batches;

    @Setup
    @SuppressWarnings("unchecked")
    public void setUp() {
        SplittableRandom random = new SplittableRandom(14);
        hard = new ArrayList<>();
        hardUnits = new List[CLASSES];
        for (int c = 0; c < CLASSES; c++) {
            List<SampleEmbedding> h = new ArrayList<>();
            List<double[]> units = new ArrayList<>();
            for (int i = 0; i < HARD_PER_CLASS; i++) {
                h.add(new SampleEmbedding("h" + c + "-" + i, gaussian(random)));
                units.add(UnitVectors.unit(h.get(i).vector(), DIM, "hard sample", h.get(i).sampleId()));
            }
            hard.add(h);
            hardUnits[c] = units;
        }
        batches = new List[BATCHES][OWNERS][CLASSES];
        for (int b = 0; b < BATCHES; b++) {
            for (int o = 0; o < OWNERS; o++) {
                for (int c = 0; c < CLASSES; c++) {
                    List<SampleEmbedding> batch = new ArrayList<>(PER_BATCH);
                    for (int i = 0; i < PER_BATCH; i++) {
                        batch.add(new SampleEmbedding("owner-" + o + "-" + b + "-" + c + "-" + i, gaussian(random)));
                    }
                    batches[b][o][c] = batch;
                }
            }
        }
    }

    private static float[] gaussian(SplittableRandom random) {
        float[] v = new float[DIM];
        for (int i = 0; i < DIM; i++) {
            // Box–Muller: SplittableRandom has no nextGaussian on Java 17.
            v[i] = (float) (Math.sqrt(-2 * Math.log(1 - random.nextDouble())) * Math.cos(2 * Math.PI * random.nextDouble()));
        }
        return v;
    }

    /** Every batch offered to its (owner, class)'s stream, a selection after each change; returns the changes. */
    @Benchmark
    @OperationsPerInvocation(SAMPLES)
    public int retrieveTopKStream() {
        RetrieveTopKStream[][] streams = new RetrieveTopKStream[OWNERS][CLASSES];
        for (int o = 0; o < OWNERS; o++) {
            for (int c = 0; c < CLASSES; c++) {
                streams[o][c] = RetrieveTopKStream.start(2, 8, hard.get(c));
            }
        }
        int changes = 0;
        for (List<SampleEmbedding>[][] record : batches) {
            for (int o = 0; o < OWNERS; o++) {
                for (int c = 0; c < CLASSES; c++) {
                    if (streams[o][c].offer(record[o][c]).heapsChanged()) {
                        changes += streams[o][c].selection().sampleIds().size() > 0 ? 1 : 0;
                    }
                }
            }
        }
        return changes;
    }

    /** The same samples' unit vectors and squared distances to their class's hard samples, nothing else. */
    @Benchmark
    @OperationsPerInvocation(SAMPLES)
    public double unitVectorsAndDistances() {
        double sum = 0;
        for (List<SampleEmbedding>[][] record : batches) {
            for (int o = 0; o < OWNERS; o++) {
                for (int c = 0; c < CLASSES; c++) {
                    for (SampleEmbedding s : record[o][c]) {
                        double[] unit = UnitVectors.unit(s.vector(), DIM, "owner sample", s.sampleId());
                        for (double[] h : hardUnits[c]) {
                            sum += UnitVectors.squaredDistance(h, unit);
                        }
                    }
                }
            }
        }
        return sum;
    }
}
