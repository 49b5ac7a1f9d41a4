package io.mycroft.processors;

import com.google.common.hash.BloomFilter;
import com.google.common.hash.Funnels;
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

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * The FEATURE stream thread's claim filter against the one it replaced, in the same run (issue 14): for each of 2^20
 * new keys (a fresh filter of that capacity, as a benchmark pass fills it), ask whether it may be held, then add it.
 * {@link KeyFilter}'s split-block filter against the Guava {@link BloomFilter} (1 % false positives, atomic bit sets),
 * both given the key's 64-bit hash. In this package because {@link KeyFilter} is package-private.
 */
@State(Scope.Benchmark)
@Fork(2)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 10, time = 2)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class ClaimFilterBenchmark {
    private static final int KEYS = 1 << 20;

    private long[] hashes;

    @Setup
    public void setUp() {
        SplittableRandom random = new SplittableRandom(14);
        hashes = new long[KEYS];
        for (int i = 0; i < KEYS; i++) {
            hashes[i] = random.nextLong();
        }
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
}
