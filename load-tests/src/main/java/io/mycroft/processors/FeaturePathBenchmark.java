package io.mycroft.processors;

import com.google.common.hash.BloomFilter;
import com.google.common.hash.Funnels;
import io.mycroft.processors.math.UnitVectors;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
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
 * Two per-sample steps of the FEATURE stream thread against what they replaced, in the same run (issue 14). In this
 * package because {@link KeyFilter} is package-private.
 * <ul>
 *   <li>Claims: for each of 2^20 new keys (a fresh filter of that capacity, as a benchmark pass fills it), ask whether
 *   it may be held, then add it. {@link KeyFilter}'s split-block filter against the Guava {@link BloomFilter} it
 *   replaced (1 % false positives, atomic bit sets), both given the key's 64-bit hash.</li>
 *   <li>Distances: one sample's squared distances to the 4 hard samples of its class at d = 128, for 1,000 samples:
 *   {@link UnitVectors#squaredDistances} against 4 calls of {@link UnitVectors#squaredDistance} (the same bits).</li>
 * </ul>
 */
@State(Scope.Benchmark)
@Fork(1)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class FeaturePathBenchmark {
    private static final int KEYS = 1 << 20;
    private static final int DIM = 128;
    private static final int HARD = 4;
    private static final int SAMPLES = 1_000;

    private long[] hashes;
    private List<double[]> hard;
    private double[][] samples;
    private double[] out;

    @Setup
    public void setUp() {
        SplittableRandom random = new SplittableRandom(14);
        hashes = new long[KEYS];
        for (int i = 0; i < KEYS; i++) {
            hashes[i] = random.nextLong();
        }
        hard = new ArrayList<>();
        for (int h = 0; h < HARD; h++) {
            hard.add(unit(random));
        }
        samples = new double[SAMPLES][];
        for (int i = 0; i < SAMPLES; i++) {
            samples[i] = unit(random);
        }
        out = new double[HARD];
    }

    private static double[] unit(SplittableRandom random) {
        float[] v = new float[DIM];
        for (int i = 0; i < DIM; i++) {
            v[i] = (float) random.nextGaussian();
        }
        return UnitVectors.unit(v, DIM, "benchmark vector");
    }

    /** Per key: a lookup, then an add; returns the false positives so the work is not dead. */
    @Benchmark
    public int claimsSplitBlockFilter() {
        KeyFilter filter = new KeyFilter(KEYS);
        int falsePositives = 0;
        for (long hash : hashes) {
            falsePositives += filter.mightHold(hash) ? 1 : 0;
            filter.add(hash);
        }
        return falsePositives;
    }

    @Benchmark
    public int claimsGuavaBloomFilter() {
        BloomFilter<Long> filter = BloomFilter.create(Funnels.longFunnel(), KEYS, 0.01);
        int falsePositives = 0;
        for (long hash : hashes) {
            falsePositives += filter.mightContain(hash) ? 1 : 0;
            filter.put(hash);
        }
        return falsePositives;
    }

    @Benchmark
    public double distancesFourAtATime() {
        double sum = 0;
        for (double[] sample : samples) {
            UnitVectors.squaredDistances(hard, sample, out);
            sum += out[0] + out[1] + out[2] + out[3];
        }
        return sum;
    }

    @Benchmark
    public double distancesOneAtATime() {
        double sum = 0;
        for (double[] sample : samples) {
            for (int h = 0; h < HARD; h++) {
                out[h] = UnitVectors.squaredDistance(hard.get(h), sample);
            }
            sum += out[0] + out[1] + out[2] + out[3];
        }
        return sum;
    }
}
